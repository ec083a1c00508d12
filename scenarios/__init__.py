"""Simulations of the app and QuickBooks working side by side, and the demo."""
