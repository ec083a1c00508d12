"""The `syncer` command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("syncer: the sync engine is not built yet; see the README.", file=sys.stderr)
    return 2
