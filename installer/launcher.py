"""The frozen program's entry script: the same ``flowdesk`` command as the console script.

PyInstaller needs a script file; this one only hands over to
:func:`flowdesk.cli.run`, so the bundle and ``pip install`` behave alike.
"""

from flowdesk.cli import run

if __name__ == "__main__":
    run()
