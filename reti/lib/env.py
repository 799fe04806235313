"""Strict readers of environment variables: a bad value stops the start, it is never guessed."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def env_required(name: str, *, local: bool, local_default: str, meaning: str) -> str:
    """A setting production cannot guess: `local_default` serves local runs, production stops.

    `meaning` says in the error what the value is for, so an operator knows what to set.
    """
    value = (os.environ.get(name) or "").strip()
    if value:
        return value
    if local:
        return local_default
    raise ImproperlyConfigured(
        f"{name} is required when DEBUG is off ({meaning}); set RETI_LOCAL=1 for a local run"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, *, kind: str) -> Path | None:
    """An existing file or directory (`kind` "file" or "dir") named by `name`, or None if unset.

    A path that is set but missing, of the other kind or unreadable stops the start: a typo in a
    key's path must not be found by the first visitor who tries to sign in.
    """
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if kind == "dir":
        ok = path.is_dir()
    elif kind == "file":
        ok = path.is_file()
    else:
        raise ValueError(f"kind must be 'file' or 'dir', not {kind!r}")
    if not ok:
        what = "directory" if kind == "dir" else "file"
        raise ImproperlyConfigured(f"{name} must name an existing {what}, not {raw!r}")
    if not os.access(path, os.R_OK):
        raise ImproperlyConfigured(f"{name} names {raw!r}, which Reti cannot read")
    return path
