"""Reusable widgets of the app, one module each (each carries its DEFAULT_CSS)."""
