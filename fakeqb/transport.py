"""The import path earlier releases documented for the HTTP client; it lives in `fakeqb.http.client`."""

from fakeqb.http.client import HttpRequestProcessor

__all__ = ["HttpRequestProcessor"]
