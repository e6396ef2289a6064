"""Helper processes that end with the process that started them.

FlowDesk's worker processes (the index build's analysis pool) must not
outlive the import they serve: should the importing process be killed (kill
-9, a crash, the task manager), a worker left behind would hold a pack's worth
of memory, and multiprocessing's resource tracker with it, until the desk is
restarted. This module imports nothing but the standard library, so a spawned
worker starts watching before it pays for importing the rest of FlowDesk.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading


def exit_with_parent() -> None:
    """Pool initializer: end this process as soon as its parent is gone.

    ``parent_process().sentinel`` is the read end of a pipe whose only write end
    the parent holds (on Windows, the parent's process handle), so it becomes
    ready exactly when the parent dies, however it dies: no polling, no timer.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # not a multiprocessing child: nothing to watch
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="flowdesk-parent-watch", daemon=True).start()
