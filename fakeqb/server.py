"""The import path earlier releases documented for the HTTP server; it lives in `fakeqb.http.server`."""

from fakeqb.http.server import create_app, make_server, serve, serve_in_thread

__all__ = ["create_app", "make_server", "serve", "serve_in_thread"]
