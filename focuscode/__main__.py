"""``python -m focuscode``: the same as the ``focuscode`` command."""

from focuscode.cli import main

if __name__ == "__main__":
    main()
