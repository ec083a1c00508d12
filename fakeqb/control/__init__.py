"""The control plane: what a test, a scenario or a person does to a running QuickBooks from outside it.

`api` (the operations, in Python), `http` (the same as a Flask blueprint), `client` (the same for a server in another
process), `cli` (`fakeqb control`).
"""

from fakeqb.control.api import (
    ClockState,
    ConflictError,
    Control,
    ControlError,
    NotFoundError,
    parse_duration,
    parse_time,
)

__all__ = ["ClockState", "ConflictError", "Control", "ControlError", "NotFoundError", "parse_duration", "parse_time"]
