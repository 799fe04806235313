"""The registry's back office: one module per group of models, registered on import."""

from . import networks, organisations, projects, reference  # noqa: F401
