"""`python -m syncer`: the `syncer` command."""

import sys

from syncer.cli import main

if __name__ == "__main__":
    sys.exit(main())
