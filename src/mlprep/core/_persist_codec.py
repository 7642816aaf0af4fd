"""Plain data to JSON values and back, for :mod:`mlprep.core.persistence`.

JSON lacks a few things fitted state holds; they are written as tagged values:

======================  ===================================================
tag                     meaning
======================  ===================================================
``__float__``           ``"nan"``, ``"inf"`` or ``"-inf"``
``__tuple__``           a tuple (its items)
``__dict__``            a small dict with non-string keys (``[key, value]`` pairs)
``__map__``             a large dict: ``{"__map__": keys, "values": values}``
``__ndarray__``         a numpy array: items (small) or base64 bytes (large),
                        with ``dtype`` and ``shape``
``__list__``            a long list of numbers as base64 bytes of ``dtype``
``__lines__``           a long list of strings without newlines, joined by one
``__slice__``           ``[start, stop, step]``
``__dtype__``           a numpy dtype
``__timestamp__`` ...   pandas/numpy time values
``__state__``           a mergeable partial state (:mod:`mlprep.state`)
======================  ===================================================

Large homogeneous containers (a 1.5 M-term vocabulary, its idf weights) take
the typed forms: numbers become little-endian bytes in base64 and strings one
JSON array, so both directions run at C speed instead of one Python call per
item. Decoding builds nothing but numbers, strings, lists, dicts, numpy arrays
of plain dtypes and the registry's classes; every value is checked as it is
read, and a bad one raises :class:`~mlprep.exceptions.PersistenceError` naming
where it is (``ColumnTransformer/transformers_/0/...``).
"""

from __future__ import annotations

import base64
import binascii
import math
from collections import UserList
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from mlprep.exceptions import PersistenceError
from mlprep.state._base import PartialState, state_from_dict

__all__ = ["SAVE_HINT", "Decoder", "Encoder", "init_params"]

TYPED_MIN = 4096
"""Containers with at least this many items take the typed (base64) forms.

Smaller ones stay readable JSON (a vocabulary of a few thousand terms is a
dict you can read); the typed forms are for the sizes where pickle's speed
and size matter.
"""
_MAX_DEPTH = 200
_ARRAY_KINDS = "biufUO"
_DTYPE_KINDS = "biufUSOMm"
_FLOAT_TOKENS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)

SAVE_HINT = (
    "mlprep.save writes mlprep transformers and splitters, scikit-learn "
    "Pipeline/ColumnTransformer/FeatureUnion, the scikit-learn classes listed in "
    "mlprep.core.persistence.sklearn_allowed(), and plain data (numbers, strings, lists, "
    "dicts, numpy arrays). Callables and other objects cannot be stored safely."
)


def init_params(obj: Any) -> list[str]:
    """The constructor parameter names of ``obj`` (``get_params(deep=False)``)."""
    if hasattr(obj, "get_params"):
        return list(obj.get_params(deep=False))
    import inspect

    return [
        p.name
        for p in inspect.signature(type(obj).__init__).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _int_dtype(low: int, high: int) -> str | None:
    if _INT32[0] <= low and high <= _INT32[1]:
        return "<i4"
    if _INT64[0] <= low and high <= _INT64[1]:
        return "<i8"
    return None


class Encoder:
    """Plain data and registered objects to JSON values.

    ``object_hook(encoder, obj)`` writes a registered object (the persistence
    module supplies it: which parameters and attributes a class stores is
    its business); without one, registered objects are refused.
    """

    def __init__(self, object_hook: Callable[[Encoder, Any], Any] | None = None):
        self.path: list[str] = []
        self.object_hook = object_hook

    def fail(self, what: str) -> PersistenceError:
        where = "/".join(self.path) or "<root>"
        return PersistenceError(f"Cannot save {what} at {where}: {SAVE_HINT}")

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
            return {"__tuple__": self.encode_list(list(value))}
        if isinstance(value, UserList):
            # scikit-learn < 1.6 keeps ColumnTransformer remainder columns in a
            # UserList that warns when read; store (and load) the list it wraps.
            return self.encode_list(value.data)
        if isinstance(value, list):
            return self.encode_list(value)
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
        if self.object_hook is not None:
            node = self.object_hook(self, value)
            if node is not None:
                return node
        raise self.fail(f"a {type(value).__name__} object")

    def encode_items(self, items: Any) -> list[Any]:
        out = []
        for index, item in enumerate(items):
            self.path.append(str(index))
            out.append(self.encode(item))
            self.path.pop()
        return out

    def encode_list(self, items: list[Any]) -> Any:
        """A list: as is when it is all strings, typed when long and numeric."""
        if len(items) >= TYPED_MIN:
            kinds = set(map(type, items))
            if kinds == {str}:
                joined = "\n".join(items)  # one JSON string: C speed both ways
                if joined.count("\n") == len(items) - 1:
                    return {"__lines__": joined}
                return list(items)
            if kinds == {float}:
                return {"__list__": _b64(np.array(items, dtype="<f8")), "dtype": "<f8"}
            if kinds == {int}:
                dtype = _int_dtype(min(items), max(items))
                if dtype is not None:
                    return {
                        "__list__": _b64(np.array(items, dtype=dtype)),
                        "dtype": dtype,
                    }
        elif set(map(type, items)) == {str}:
            return list(items)
        return self.encode_items(items)

    def encode_dict(self, mapping: dict[Any, Any]) -> dict[str, Any]:
        if len(mapping) >= TYPED_MIN:
            self.path.append("<keys>")
            keys = self.encode_list(list(mapping))
            self.path[-1] = "<values>"
            values = self.encode_list(list(mapping.values()))
            self.path.pop()
            return {"__map__": keys, "values": values}
        if all(isinstance(k, str) and not k.startswith("__") for k in mapping):
            out = {}
            for key, item in mapping.items():
                self.path.append(key)
                out[key] = self.encode(item)
                self.path.pop()
            return out
        return {"__dict__": self.encode_items([[k, v] for k, v in mapping.items()])}

    def encode_array(self, array: np.ndarray) -> dict[str, Any]:
        kind = array.dtype.kind
        if kind not in _ARRAY_KINDS or array.dtype.fields is not None:
            raise self.fail(f"an array of dtype {array.dtype}")
        shape = list(array.shape)
        if kind in "biuf" and array.size >= TYPED_MIN:
            dtype = array.dtype.newbyteorder("<") if kind != "b" else np.dtype("|b1")
            data = _b64(array.astype(dtype, copy=False))
            return {"__ndarray__": data, "dtype": dtype.str, "shape": shape}
        dtype = "object" if kind == "O" else array.dtype.str
        return {
            "__ndarray__": self.encode_list(array.ravel().tolist()),
            "dtype": dtype,
            "shape": shape,
        }


def checked_dtype(spec: Any, kinds: str = _DTYPE_KINDS) -> np.dtype:
    """The numpy dtype a file names; plain kinds only (no structured or void)."""
    if spec == "object":
        return np.dtype(object)
    if not isinstance(spec, str) or len(spec) > 32:
        raise ValueError(f"dtype {spec!r} is not a dtype name")
    dtype = np.dtype(spec)
    if dtype.kind not in kinds or dtype.fields is not None or dtype.subdtype:
        raise ValueError(f"dtype {spec!r} is not one mlprep writes")
    return dtype


class Decoder:
    """JSON values back to plain data and registered objects.

    ``object_hook(decoder, node, depth)`` builds a ``{"__class__": ...}``
    node; ``path`` is where the decoder is, for error messages.
    """

    def __init__(self, object_hook: Callable[[Decoder, dict, int], Any] | None = None):
        self.path: list[str] = []
        self.object_hook = object_hook

    def where(self) -> str:
        return "/".join(self.path) or "<root>"

    def fail(self, what: str) -> PersistenceError:
        return PersistenceError(f"{what} (at {self.where()}).")

    def child(self, key: str, value: Any, depth: int) -> Any:
        self.path.append(key)
        out = self.decode(value, depth + 1)
        self.path.pop()
        return out

    def decode(self, value: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise PersistenceError("The file nests deeper than any mlprep object does.")
        if isinstance(value, list):
            return self.decode_list(value, depth)
        if not isinstance(value, dict):
            return value
        if "__class__" in value:
            if self.object_hook is None:
                raise self.fail("An object is not expected here")
            return self.object_hook(self, value, depth)
        tags = [k for k in value if k.startswith("__")]
        if not tags:
            return {k: self.child(k, v, depth) for k, v in value.items()}
        if len(tags) > 1:
            raise self.fail(f"An entry has several tags {tags}")
        return self.decode_tagged(tags[0], value, depth)

    def decode_list(self, items: list[Any], depth: int) -> list[Any]:
        if not items or set(map(type, items)) == {str}:
            return items
        return [self.child(str(i), item, depth) for i, item in enumerate(items)]

    def decode_tagged(self, tag: str, value: dict[str, Any], depth: int) -> Any:
        body = value[tag]
        if tag == "__float__":
            if body not in _FLOAT_TOKENS:
                raise self.fail(f"{body!r} is not a float token (nan, inf, -inf)")
            # the np.nan singleton, so a NaN parameter (fill_value=np.nan) compares
            # equal to the default after a round trip, as get_params() comparisons expect
            return np.nan if body == "nan" else _FLOAT_TOKENS[body]
        if tag == "__tuple__":
            return tuple(self.sequence(body, depth))
        if tag == "__dict__":
            return dict(self.pair(item, depth) for item in self.plain_list(body))
        if tag == "__map__":
            keys = self.sequence(body, depth)
            if list in set(map(type, keys)):
                keys = [_hashable(k) for k in keys]
            values = self.sequence(value.get("values"), depth)
            if len(keys) != len(values):
                raise self.fail(f"A map has {len(keys)} keys but {len(values)} values")
            return dict(zip(keys, values))
        if tag == "__ndarray__":
            return self.array(body, value.get("dtype"), value.get("shape"), depth)
        if tag == "__lines__":
            return self.text(body).split("\n")
        if tag == "__list__":
            return self.typed(body, value.get("dtype"), "iuf").tolist()
        if tag == "__slice__":
            parts = self.plain_list(body)
            if len(parts) != 3 or not all(p is None or type(p) is int for p in parts):
                raise self.fail(f"{body!r} is not a slice [start, stop, step]")
            return slice(*parts)
        if tag == "__dtype__":
            return checked_dtype(body)
        if tag == "__timestamp__":
            return pd.Timestamp(self.text(body))
        if tag == "__timedelta__":
            if type(body) is not int:
                raise self.fail(f"{body!r} is not a number of nanoseconds")
            return pd.Timedelta(body)
        if tag == "__datetime64__":
            return np.datetime64(self.text(body))
        if tag == "__state__":
            return state_from_dict(body)
        raise self.fail(f"Unknown tag {tag!r}")

    # ------------------------------------------------------------ helpers
    def plain_list(self, body: Any) -> list[Any]:
        if not isinstance(body, list):
            raise self.fail(f"Expected a list, found {type(body).__name__}")
        return body

    def text(self, body: Any) -> str:
        if not isinstance(body, str):
            raise self.fail(f"Expected a string, found {type(body).__name__}")
        return body

    def sequence(self, body: Any, depth: int) -> list[Any]:
        """The items of a list, or of a typed ``__list__`` / ``__lines__`` node."""
        if isinstance(body, dict) and set(body) == {"__list__", "dtype"}:
            return self.typed(body["__list__"], body["dtype"], "iuf").tolist()
        if isinstance(body, dict) and set(body) == {"__lines__"}:
            return self.text(body["__lines__"]).split("\n")
        return self.decode_list(self.plain_list(body), depth)

    def pair(self, item: Any, depth: int) -> tuple[Any, Any]:
        if not isinstance(item, list) or len(item) != 2:
            raise self.fail("A __dict__ entry is not a [key, value] pair")
        key, value = self.decode_list(item, depth)
        return _hashable(key), value

    def typed(self, data: Any, dtype_spec: Any, kinds: str) -> np.ndarray:
        """A 1-D array from base64 bytes of a little-endian numeric dtype."""
        dtype = checked_dtype(dtype_spec, kinds)
        try:
            raw = base64.b64decode(self.text(data), validate=True)
        except binascii.Error as exc:
            raise self.fail(f"The array bytes are not valid base64 ({exc})") from exc
        if len(raw) % dtype.itemsize:
            raise self.fail(
                f"{len(raw)} bytes do not hold whole {dtype} values "
                f"({dtype.itemsize} bytes each)"
            )
        array = np.frombuffer(raw, dtype=dtype)
        if dtype.kind == "b" and array.size and array.view(np.uint8).max() > 1:
            raise self.fail("A boolean array holds bytes other than 0 and 1")
        return array

    def array(self, body: Any, dtype_spec: Any, shape: Any, depth: int) -> np.ndarray:
        if not (
            isinstance(shape, list)
            and all(type(n) is int and n >= 0 for n in shape)
            and len(shape) <= 32
        ):
            raise self.fail(f"The array shape {shape!r} is not a list of sizes")
        size = math.prod(shape)
        if isinstance(body, str):
            array = self.typed(body, dtype_spec, "biuf").copy()
        else:
            dtype = checked_dtype(dtype_spec, _ARRAY_KINDS)
            array = self.array_from_items(self.sequence(body, depth), dtype)
        if array.size != size:
            raise self.fail(
                f"The array holds {array.size} values, its shape {shape} needs {size}"
            )
        return array.reshape(shape)

    def array_from_items(self, items: list[Any], dtype: np.dtype) -> np.ndarray:
        kind = dtype.kind
        if kind == "O":
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array
        allowed: tuple[type, ...] = {
            "b": (bool,),
            "i": (int,),
            "u": (int,),
            "f": (int, float),
            "U": (str,),
        }[kind]
        for index, item in enumerate(items):
            if type(item) not in allowed:
                raise self.fail(
                    f"Item {index} of a {dtype} array is {item!r}, not "
                    f"{' or '.join(t.__name__ for t in allowed)}"
                )
        if kind in "iu" and items:
            info = np.iinfo(dtype)
            low, high = min(items), max(items)
            if low < info.min or high > info.max:
                bad = low if low < info.min else high
                raise self.fail(
                    f"{bad} does not fit an array of {dtype} ({info.min} to {info.max})"
                )
        return np.array(items, dtype=dtype)


def _hashable(key: Any) -> Any:
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key
