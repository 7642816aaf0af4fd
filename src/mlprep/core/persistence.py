"""Save and load fitted transformers as versioned JSON, never pickle.

A file is one JSON document::

    {"format": "mlprep", "format_version": 1, "mlprep_version": "0.1.0",
     "sklearn_version": "1.9.1", "sha256": "<hash of the canonical object>",
     "object": {"__class__": "mlprep.scale.StandardScaler",
                "params": {...}, "state": {...}}}

``params`` are the constructor arguments, ``state`` every other attribute
(what ``fit`` learned). Values are JSON with a few tagged forms for what JSON
lacks (``{"__ndarray__": [...], "dtype": "float64"}``, ``{"__float__": "nan"}``,
tuples, dicts with non-string keys, slices, timestamps). Classes come only from
:mod:`mlprep.core._registry`; anything else in a file is refused, so loading
runs no code but mlprep's own constructors.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import UserList
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
import sklearn

from mlprep._version import __version__
from mlprep.core._registry import is_registered_instance, lookup, public_name
from mlprep.exceptions import PersistenceError
from mlprep.state._base import PartialState, state_from_dict

__all__ = ["FORMAT_VERSION", "dumps", "dumps_params", "load", "loads", "save"]

FORMAT_VERSION = 1
_ARRAY_KINDS = "biufUO"
_MAX_DEPTH = 200


def _init_params(obj: Any) -> list[str]:
    if hasattr(obj, "get_params"):
        return list(obj.get_params(deep=False))
    import inspect

    return [
        p.name
        for p in inspect.signature(type(obj).__init__).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


class _Encoder:
    def __init__(self) -> None:
        self.path: list[str] = []

    def fail(self, what: str) -> PersistenceError:
        where = "/".join(self.path) or "<root>"
        return PersistenceError(f"Cannot save {what} at {where}: {_SAVE_HINT}")

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, Integral):
            return int(value)
        if isinstance(value, Real):
            number = float(value)
            return number if math.isfinite(number) else {"__float__": repr(number)}
        if isinstance(value, np.ndarray):
            return self.encode_array(value)
        if isinstance(value, tuple):
            return {"__tuple__": self.encode_items(value)}
        if isinstance(value, UserList):
            # scikit-learn < 1.6 keeps ColumnTransformer remainder columns in a
            # UserList that warns when read; store (and load) the list it wraps.
            return self.encode_items(value.data)
        if isinstance(value, list):
            return self.encode_items(value)
        if isinstance(value, dict):
            return self.encode_dict(value)
        if isinstance(value, slice):
            return {"__slice__": [value.start, value.stop, value.step]}
        if isinstance(value, np.dtype):
            return {"__dtype__": value.str if value.kind != "O" else "object"}
        if isinstance(value, pd.Timestamp):
            return {
                "__timestamp__": value.isoformat(),
                "tz": str(value.tz) if value.tz else None,
            }
        if isinstance(value, pd.Timedelta):
            return {"__timedelta__": value.value}
        if isinstance(value, np.datetime64):
            return {"__datetime64__": str(value)}
        if isinstance(value, np.timedelta64):
            return {
                "__timedelta__": int(value.astype("timedelta64[ns]").astype(np.int64))
            }
        if isinstance(value, PartialState):
            return {"__state__": value.to_dict()}
        if is_registered_instance(value):
            return self.encode_object(value)
        raise self.fail(f"a {type(value).__name__} object")

    def encode_items(self, items: Any) -> list[Any]:
        out = []
        for index, item in enumerate(items):
            self.path.append(str(index))
            out.append(self.encode(item))
            self.path.pop()
        return out

    def encode_dict(self, mapping: dict[Any, Any]) -> dict[str, Any]:
        if all(isinstance(k, str) and not k.startswith("__") for k in mapping):
            out = {}
            for key, item in mapping.items():
                self.path.append(key)
                out[key] = self.encode(item)
                self.path.pop()
            return out
        return {"__dict__": self.encode_items([[k, v] for k, v in mapping.items()])}

    def encode_array(self, array: np.ndarray) -> dict[str, Any]:
        if array.dtype.kind not in _ARRAY_KINDS:
            raise self.fail(f"an array of dtype {array.dtype}")
        dtype = "object" if array.dtype.kind == "O" else array.dtype.str
        return {
            "__ndarray__": self.encode_items(array.ravel().tolist()),
            "dtype": dtype,
            "shape": list(array.shape),
        }

    def encode_object(self, obj: Any) -> dict[str, Any]:
        params = _init_params(obj)
        node: dict[str, Any] = {"__class__": public_name(type(obj))}
        self.path.append(type(obj).__name__)
        node["params"] = self.encode_dict({p: getattr(obj, p) for p in params})
        state = {k: v for k, v in vars(obj).items() if k not in params}
        node["state"] = self.encode_dict(state)
        self.path.pop()
        return node


_SAVE_HINT = (
    "mlprep.save writes only mlprep transformers and splitters, scikit-learn "
    "Pipeline/ColumnTransformer/FeatureUnion made of them, and plain data "
    "(numbers, strings, lists, dicts, numpy arrays). Callables and other "
    "objects cannot be stored safely."
)


class _Decoder:
    def decode(self, value: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise PersistenceError("The file nests deeper than any mlprep object does.")
        if isinstance(value, list):
            return [self.decode(v, depth + 1) for v in value]
        if not isinstance(value, dict):
            return value
        if "__class__" in value:
            return self.decode_object(value, depth)
        tags = [k for k in value if k.startswith("__")]
        if not tags:
            return {k: self.decode(v, depth + 1) for k, v in value.items()}
        tag = tags[0]
        body = value[tag]
        if tag == "__float__":
            number = float(body)
            # the np.nan singleton, so a NaN parameter (fill_value=np.nan) compares
            # equal to the default after a round trip, as get_params() comparisons expect
            return np.nan if math.isnan(number) else number
        if tag == "__tuple__":
            return tuple(self.decode(body, depth + 1))
        if tag == "__dict__":
            return {
                _hashable(self.decode(k, depth + 1)): self.decode(v, depth + 1)
                for k, v in body
            }
        if tag == "__ndarray__":
            items = self.decode(body, depth + 1)
            array = np.empty(len(items), dtype=object)
            array[:] = items
            dtype = value["dtype"]
            if dtype != "object":
                array = array.astype(np.dtype(dtype))
            return array.reshape(value["shape"])
        if tag == "__slice__":
            return slice(*body)
        if tag == "__dtype__":
            return np.dtype(object if body == "object" else body)
        if tag == "__timestamp__":
            return pd.Timestamp(body)
        if tag == "__timedelta__":
            return pd.Timedelta(int(body))
        if tag == "__datetime64__":
            return np.datetime64(body)
        if tag == "__state__":
            return state_from_dict(body)
        raise PersistenceError(f"Unknown tag {tag!r} in the file.")

    def decode_object(self, node: dict[str, Any], depth: int) -> Any:
        name = node["__class__"]
        cls = lookup(name) if isinstance(name, str) else None
        if cls is None:
            raise PersistenceError(
                f"The file names class {name!r}, which is not one mlprep can load. "
                "Only mlprep transformers and splitters and scikit-learn "
                "Pipeline/ColumnTransformer/FeatureUnion are loaded."
            )
        params = self.decode(node["params"], depth + 1)
        state = self.decode(node["state"], depth + 1)
        if not isinstance(params, dict) or not isinstance(state, dict):
            raise PersistenceError(f"The entry for {name} is malformed.")
        obj = cls(**params)
        vars(obj).update(state)
        return obj


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _digest(payload: Any) -> str:
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def dumps(obj: Any) -> str:
    """The JSON text :func:`save` writes for ``obj``."""
    if not is_registered_instance(obj):
        raise PersistenceError(f"Cannot save a {type(obj).__name__}: {_SAVE_HINT}")
    payload = _Encoder().encode_object(obj)
    document = {
        "format": "mlprep",
        "format_version": FORMAT_VERSION,
        "mlprep_version": __version__,
        "sklearn_version": sklearn.__version__,
        "sha256": _digest(payload),
        "object": payload,
    }
    return json.dumps(document, allow_nan=False, indent=1)


def dumps_params(obj: Any) -> str:
    """The constructor parameters of ``obj`` as canonical JSON (to compare configurations)."""
    encoder = _Encoder()
    params = encoder.encode_dict({p: getattr(obj, p) for p in _init_params(obj)})
    return json.dumps(params, sort_keys=True, allow_nan=False)


def loads(text: str | bytes) -> Any:
    """Rebuild the object from the JSON text :func:`dumps` made."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PersistenceError(
            f"The file is not valid JSON ({exc}); it may be truncated or not an "
            "mlprep file."
        ) from exc
    if not isinstance(document, dict) or document.get("format") != "mlprep":
        raise PersistenceError(
            "The file is not an mlprep file (no 'format': 'mlprep')."
        )
    version = document.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise PersistenceError(
            f"The file has format_version {version!r}; this mlprep ({__version__}) "
            f"reads versions 1 to {FORMAT_VERSION}. Upgrade mlprep to read it."
        )
    payload = document.get("object")
    if not isinstance(payload, dict) or document.get("sha256") != _digest(payload):
        raise PersistenceError(
            "The file's content does not match its sha256 checksum: it was "
            "modified or damaged after mlprep wrote it."
        )
    try:
        return _Decoder().decode_object(payload, 0)
    except PersistenceError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise PersistenceError(f"The file is malformed: {exc!r}.") from exc


def save(obj: Any, path: str | os.PathLike[str]) -> None:
    """Write a fitted transformer, splitter or pipeline of them to ``path`` as JSON.

    Parameters
    ----------
    obj : mlprep transformer or splitter, or scikit-learn Pipeline / ColumnTransformer / FeatureUnion of them
    path : str or path-like
        The file to write (conventionally ``*.json``).

    Raises
    ------
    PersistenceError
        ``obj`` holds something that cannot be stored safely (a callable, an
        object from another library).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from mlprep import load, save
    >>> from mlprep.scale import StandardScaler
    >>> scaler = StandardScaler().fit(np.array([[1.0], [3.0]]))
    >>> path = os.path.join(tempfile.mkdtemp(), "scaler.json")
    >>> save(scaler, path)
    >>> load(path).transform(np.array([[5.0]]))
    array([[3.]])
    """
    text = dumps(obj)
    target = os.fspath(path)
    partial = f"{target}.{os.getpid()}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, target)  # never a half-written file at ``path``
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def load(path: str | os.PathLike[str]) -> Any:
    """Read an object written by :func:`save`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    object
        The transformer, splitter or pipeline, fitted as it was saved.

    Raises
    ------
    PersistenceError
        The file is not valid JSON, not an mlprep file, from a newer format,
        altered after writing, or names a class outside mlprep's registry.
    """
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PersistenceError(f"The file is not UTF-8 text: {exc}.") from exc
    return loads(text)
