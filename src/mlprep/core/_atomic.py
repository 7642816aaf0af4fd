"""Files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import uuid

__all__ = ["write_bytes_atomic"]


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    The folder is created if missing. If anything fails, the temporary file is
    removed and an existing file at ``path`` is left as it was.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out" / "a.json"
    >>> write_bytes_atomic(path, b"{}")
    >>> path.read_text()
    '{}'
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(
        folder, f".{os.path.basename(target)}.{uuid.uuid4().hex[:12]}.tmp"
    )
    try:
        with open(temporary, "xb") as sink:
            sink.write(data)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
