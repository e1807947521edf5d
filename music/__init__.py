"""Symbolic music core: score model, theory, arrangement and export (no ML, no UI)."""
