"""The app's side of the sync: its data, settings and the operations a person does in it."""

from syncer.app.app import App

__all__ = ["App"]
