"""`python -m intake` is the `uwagi` command (used by tests that need a real process)."""

from intake.cli import main

if __name__ == "__main__":  # worker processes import this module too: they must not run the CLI
    main()
