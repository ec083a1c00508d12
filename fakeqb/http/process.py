"""`fakeqb serve` in a process of its own, for tools and tests: started on a free port, its URL and control token
known, stopped on exit.

    with serve_process("--db", "sqlite:///company.db") as served:
        rp = HttpRequestProcessor(served.url)
        RemoteControl(served.url, token=served.token).seed(7)
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fakeqb.control.client import TOKEN_VARIABLE


@dataclass(frozen=True)
class Served:
    url: str
    token: str
    process: subprocess.Popen[str]


@contextmanager
def serve_process(*args: str, token: str | None = None) -> Iterator[Served]:
    """Run `fakeqb serve --port 0 ARGS...` (the control token passed in its environment, not on its command line);
    yields its URL and token once it listens."""
    token = token or secrets.token_urlsafe(24)
    process = subprocess.Popen([sys.executable, "-m", "fakeqb", "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, TOKEN_VARIABLE: token})
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if " at " not in line:
            raise RuntimeError(f"fakeqb serve did not start: {line.strip()!r} (exit status {process.poll()})")
        yield Served(line.split(" at ", 1)[1].split()[0], token, process)
    finally:
        process.terminate()
        process.wait(10)
