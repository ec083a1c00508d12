"""The import path earlier releases documented for the remote control plane; it lives in `fakeqb.control.client`."""

from fakeqb.control.client import RemoteControl

__all__ = ["RemoteControl"]
