"""A failure in plain words: the message a step's assertion gave (what the app or QuickBooks showed), apart from
the traceback pytest wrote around it."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EXCEPTION = re.compile(r"^(?:[\w.]+(?:Error|Exception)|Failed): ")


@dataclass(frozen=True)
class PlainFailure:
    message: str  # the first line of the assertion's message
    detail: str  # the rest of the message (the last sync's report...), without pytest's own explanation
    traceback: str  # the whole report as pytest wrote it


def plain_failure(error: str) -> PlainFailure:
    """Read pytest's report of a failure: its last block of `E` lines holds the exception and its message."""
    lines = error.splitlines()
    blocks: list[list[str]] = []
    previous_was_e = False
    for line in lines:
        is_e = line.startswith("E ") or line == "E"
        if is_e:
            if not previous_was_e:
                blocks.append([])
            blocks[-1].append(line[2:])
        previous_was_e = is_e
    if not blocks:
        last = next((line.strip() for line in reversed(lines) if line.strip()), "")
        return PlainFailure(message=last or "failed (no message)", detail="", traceback=error)
    block = blocks[-1]
    indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
    block = [b[indent:] for b in block]
    message = _EXCEPTION.sub("", block[0]).strip()
    rest: list[str] = []
    for line in block[1:]:
        if not line.startswith(" "):  # pytest's own explanation ("assert x == y") starts at the left again
            break
        rest.append(line[2:] if line.startswith("  ") else line.lstrip())
    return PlainFailure(message=message, detail="\n".join(rest).strip("\n"), traceback=error)
