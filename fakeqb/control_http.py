"""The import path earlier releases documented for the control plane's blueprint; it lives in `fakeqb.control.http`."""

from fakeqb.control.http import control_blueprint

__all__ = ["control_blueprint"]
