"""Fixtures of the grids tests: the cast's committee around a shipped grid (see docs)."""
