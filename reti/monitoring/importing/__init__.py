"""Importing participant files: spec (columns, templates), readers, validate, run."""
