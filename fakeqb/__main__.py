"""`python -m fakeqb`: the `fakeqb` command."""

import sys

from fakeqb.cli import main

if __name__ == "__main__":
    sys.exit(main())
