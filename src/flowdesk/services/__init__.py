"""The service layer beside :class:`flowdesk.desk.Desk`: what the window and the CLI both call.

``Desk`` serves packs, search and the process map. Two small services sit
beside it, for the work that spans several core parts:

* :mod:`flowdesk.services.updates`: updating a desk from its pack sources
  (check, download and verify, apply, roll back, the scheduled check);
* :mod:`flowdesk.services.qa`: the QA reports over a desk's usage log or a
  site's central store.

Neither face (``flowdesk.ui``, ``flowdesk.cli``) repeats what these do; both
call the same functions.
"""
