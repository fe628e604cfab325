"""`python -m intake` is the `uwagi` command (used by tests that need a real process)."""

from intake.cli import main

main()
