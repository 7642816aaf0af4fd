"""The frame of a saved document: header, checksum, gzip, and the two formats.

Format 2 (:func:`mlprep.save` now): the header on the first line, then
``"object":`` and the object's JSON; ``sha256`` covers the header's other
fields (canonical JSON) and the object's exact bytes, so the object is parsed
once and checked without being serialised again. Format 1: one indented
document whose ``sha256`` is the hash of the canonical JSON of the object.
Either may be gzip-compressed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from typing import Any

from mlprep._version import __version__
from mlprep.exceptions import PersistenceError

__all__ = ["FORMAT_VERSION", "OBJECT", "checksum", "digest", "pack", "unpack"]

FORMAT_VERSION = 2
OBJECT = b'"object":'
_GZIP_MAGIC = b"\x1f\x8b"


def checksum(header: dict[str, Any], body: bytes) -> str:
    """Format 2's checksum: the header's other fields (canonical) and the object's bytes."""
    fields = {k: v for k, v in header.items() if k != "sha256"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )
    return hashlib.sha256(canonical + b"\n" + body).hexdigest()


def pack(header: dict[str, Any], body: bytes) -> bytes:
    """The file: ``header`` with its ``sha256`` on the first line, then ``"object":`` and ``body``."""
    header = {**header, "sha256": checksum(header, body)}
    head = json.dumps(header).encode("utf-8")[:-1]
    return b"".join((head, b",\n", OBJECT, body, b"}\n"))


def _reject_constant(token: str) -> Any:
    raise PersistenceError(
        f"The file holds a bare {token} token, which is not JSON (mlprep writes "
        '{"__float__": "nan"}); it was not written by mlprep or was edited.'
    )


def _parse_json(data: bytes | str, what: str) -> Any:
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise PersistenceError(f"The file is not UTF-8 text: {exc}.") from exc
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, PersistenceError):
            raise
        raise PersistenceError(
            f"The {what} is not valid JSON ({exc}); it may be truncated or not an "
            "mlprep file."
        ) from exc


def _check_header(document: Any) -> int:
    if not isinstance(document, dict) or document.get("format") != "mlprep":
        raise PersistenceError(
            "The file is not an mlprep file (no 'format': 'mlprep')."
        )
    version = document.get("format_version")
    if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
        raise PersistenceError(
            f"The file has format_version {version!r}; this mlprep ({__version__}) "
            f"reads versions 1 to {FORMAT_VERSION} (whole numbers). Upgrade mlprep "
            "to read a newer file."
        )
    return version


_CHECKSUM = (
    "The file's content does not match its sha256 checksum: it was modified or "
    "damaged after mlprep wrote it."
)


def digest(payload: Any) -> str:
    """Format 1's checksum: the hash of the canonical JSON of the object."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _split(raw: bytes) -> tuple[dict[str, Any], bytes] | None:
    """Header and object bytes of a format 2 file, or None if not laid out so."""
    newline = raw.find(b"\n")
    end = raw.rstrip().rfind(b"}")
    if newline < 1 or raw[newline - 1 : newline] != b"," or end <= newline:
        return None
    if not raw.startswith(OBJECT, newline + 1):
        return None
    try:
        header = json.loads(raw[: newline - 1] + b"}")
    except ValueError:
        return None
    return header, raw[newline + 1 + len(OBJECT) : end]


def unpack(raw: bytes) -> tuple[dict[str, Any], Any]:
    """The header and the checked, parsed object of a file's bytes."""
    if raw.startswith(_GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise PersistenceError(
                f"The gzip-compressed file is damaged: {exc}."
            ) from exc
    split = _split(raw)
    if (
        split is not None
        and isinstance(split[0], dict)
        and split[0].get("format_version") != 1
    ):
        header, body = split
        if _check_header(header) >= 2:
            if header.get("sha256") != checksum(header, body):
                raise PersistenceError(_CHECKSUM)
            return header, _parse_json(body, "object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PersistenceError(f"The file is not UTF-8 text: {exc}.") from exc
    document = _parse_json(text, "file")
    version = _check_header(document)
    payload = document.get("object")
    if version >= 2 or not isinstance(payload, dict):
        raise PersistenceError(
            _CHECKSUM + " (A format 2 file is checked byte for byte: reformatting "
            "it counts as a change.)"
            if version >= 2
            else _CHECKSUM
        )
    if document.get("sha256") != digest(payload):
        raise PersistenceError(_CHECKSUM)
    return document, payload
