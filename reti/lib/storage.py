"""Uploaded files land whole or not at all (`STORAGES["default"]`).

Django's FileSystemStorage writes an upload straight to its final name: when the disk fills
up, or the directory stops being writable, halfway through, the half file stays there under
a name nothing points to (the row that would have pointed to it is rolled back). This storage
writes the upload to a hidden temporary file beside its place and renames it into place once
complete; on any failure the temporary file is deleted and the error raised again, for the
action to answer with a clear message (e.g. `reti.knowledge.actions.add_attachment`).
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class _Written:
    """A complete file on disk, moved into place by FileSystemStorage (a rename)."""

    def __init__(self, path: str):
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


class WholeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as handle:
                self._write(handle, content)
            return super()._save(name, _Written(temporary))
        finally:
            # Gone after the rename; still there when anything failed.
            if os.path.exists(temporary):
                os.unlink(temporary)

    @staticmethod
    def _write(handle, content) -> None:
        for chunk in content.chunks():
            handle.write(chunk.encode() if isinstance(chunk, str) else chunk)
