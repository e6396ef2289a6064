"""``python -m flowdesk`` runs the command line (and, with no command, the app)."""

from flowdesk.cli import run

if __name__ == "__main__":
    run()
