"""Save and load fitted transformers as versioned JSON, never pickle.

A file is one JSON document; its first line is the header, the second the
object::

    {"format": "mlprep", "format_version": 2, "mlprep_version": "0.1.0",
     "sklearn_version": "1.9.1", "fitted": true, "sha256": "<hash>",
    "object": {"__class__": "mlprep.scale.StandardScaler",
               "params": {...}, "state": {...}}}

``params`` are the constructor arguments, ``state`` what ``fit`` learned.
Values are JSON with tagged forms for what JSON lacks
(:mod:`mlprep.core._persist_codec`): large numeric containers are base64
bytes of a little-endian dtype, so a 1.5 M-term vocabulary saves and loads at
pickle's speed. ``sha256`` is the hash of the object's exact bytes. Classes come
only from :mod:`mlprep.core._registry`; loading runs no code but mlprep's and
scikit-learn's own constructors, then checks the restored state
(:mod:`mlprep.core._persist_check`). Parameters of scikit-learn classes are
written only where they differ from the default and are adapted to the
installed scikit-learn at load (:mod:`mlprep.core._persist_compat`).
Format 1 files (one indented document, hash of the canonical object) still load
(framing and checksums: :mod:`mlprep.core._persist_frame`).
"""

from __future__ import annotations

import gzip
import inspect
import json
import os
from typing import IO, Any

import sklearn

from mlprep._version import __version__
from mlprep.core._persist_check import (
    check_composite_state,
    check_sklearn_state,
    unfitted_parts,
)
from mlprep.core._persist_codec import SAVE_HINT, Decoder, Encoder, init_params
from mlprep.core._persist_compat import adapt_params, is_default
from mlprep.core._persist_frame import FORMAT_VERSION, pack, unpack
from mlprep.core._registry import (
    is_registered_instance,
    lookup,
    public_name,
    sklearn_allowed,
    sklearn_fitted_names,
    sklearn_spec,
)
from mlprep.exceptions import PersistenceError

__all__ = [
    "FORMAT_VERSION",
    "dumps",
    "dumps_params",
    "load",
    "loads",
    "save",
    "sklearn_allowed",
]

_COMPOSITES = frozenset(
    {
        "sklearn.pipeline.Pipeline",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.compose.ColumnTransformer",
        "sklearn.preprocessing.FunctionTransformer",
    }
)
_SKOPS_HINT = (
    "Save it with skops (skops.io.dump / skops.io.load, which store scikit-learn "
    "objects without pickle), or keep it out of what mlprep saves."
)


# ----------------------------------------------------------------- writing
class _Encoder(Encoder):
    """The codec's encoder with mlprep's rule for registered objects."""

    def __init__(self, *, configuration: bool = False) -> None:
        super().__init__(object_hook=_encode_object)
        self.configuration = configuration


def _refusal(obj: Any, where: str) -> PersistenceError:
    cls = type(obj)
    name = f"{cls.__module__.split('._')[0]}.{cls.__qualname__}"
    return PersistenceError(
        f"Cannot save a {cls.__name__} ({name}) at {where}: mlprep saves only "
        "its own estimators, scikit-learn Pipeline/ColumnTransformer/FeatureUnion "
        "and the scikit-learn estimators whose fitted state is plain arrays "
        "(mlprep.core.persistence.sklearn_allowed()). " + _SKOPS_HINT
    )


def _encode_object(encoder: Encoder, obj: Any) -> dict[str, Any] | None:
    if not is_registered_instance(obj):
        if hasattr(obj, "get_params") and hasattr(obj, "fit"):
            raise _refusal(obj, "/".join(encoder.path) or "<root>")
        return None
    cls = type(obj)
    name = public_name(cls)
    names = init_params(obj)
    params = {p: getattr(obj, p) for p in names}
    if not name.startswith("mlprep."):
        # scikit-learn's defaults are not written: a parameter one version adds
        # or removes stays out of the file unless it was set
        params = {p: v for p, v in params.items() if not is_default(cls, p, v)}
        if name == "sklearn.pipeline.Pipeline" and obj.memory is not None:
            raise PersistenceError(
                f"Cannot save a Pipeline with memory={obj.memory!r} at "
                f"{'/'.join(encoder.path) or '<root>'}: a memory cache makes fit "
                "read joblib pickles, which a file must not point to. Set "
                "memory=None before saving (and again after loading, if wanted)."
            )
    if getattr(encoder, "configuration", False):
        state: dict[str, Any] = {}
    elif sklearn_spec(cls) is not None:
        state = {k: v for k, v in vars(obj).items() if k in sklearn_fitted_names(cls)}
    else:
        state = {k: v for k, v in vars(obj).items() if k not in names}
    encoder.path.append(cls.__name__)
    node = {
        "__class__": name,
        "params": encoder.encode_dict(params),
        "state": encoder.encode_dict(state),
    }
    encoder.path.pop()
    return node


def _document(obj: Any, *, fitted: bool) -> bytes:
    if not is_registered_instance(obj):
        if hasattr(obj, "get_params") and hasattr(obj, "fit"):
            raise _refusal(obj, "<root>")
        raise PersistenceError(f"Cannot save a {type(obj).__name__}: {SAVE_HINT}")
    if fitted:
        missing = unfitted_parts(obj, type(obj).__name__)
        if missing:
            raise PersistenceError(
                f"Cannot save this {type(obj).__name__}: it is not fitted "
                f"({', '.join(missing)} not fitted). Fit it first, or save its "
                "configuration (parameters only) with save(obj, path, fitted=False)."
            )
    payload = _Encoder(configuration=not fitted).encode(obj)
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
    header: dict[str, Any] = {
        "format": "mlprep",
        "format_version": FORMAT_VERSION,
        "mlprep_version": __version__,
        "sklearn_version": sklearn.__version__,
        "fitted": fitted,
    }
    return pack(header, body)


def dumps(obj: Any, *, fitted: bool = True) -> str:
    """The JSON text :func:`save` writes for ``obj``.

    Parameters
    ----------
    obj : estimator, splitter or pipeline
        What :func:`save` accepts.
    fitted : bool, default=True
        False writes the configuration only (see :func:`save`).

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.core.persistence import dumps, loads
    >>> from mlprep.scale import MinMaxScaler
    >>> text = dumps(MinMaxScaler().fit(np.array([[0.0], [4.0]])))
    >>> text.splitlines()[0][:45]
    '{"format": "mlprep", "format_version": 2, "ml'
    >>> loads(text).transform(np.array([[1.0]]))
    array([[0.25]])
    """
    return _document(obj, fitted=fitted).decode("utf-8")


def dumps_params(obj: Any) -> str:
    """The constructor parameters of ``obj`` as canonical JSON (to compare configurations)."""
    encoder = _Encoder()
    params = encoder.encode_dict({p: getattr(obj, p) for p in init_params(obj)})
    return json.dumps(params, sort_keys=True, allow_nan=False)


# ----------------------------------------------------------------- reading
class _Decoder(Decoder):
    """The codec's decoder with mlprep's rule for ``{"__class__": ...}`` nodes."""

    def __init__(self, sklearn_version: Any = None) -> None:
        super().__init__(object_hook=_decode_object)
        self.sklearn_version = sklearn_version or sklearn.__version__


def _plain_dict(decoder: Decoder, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise decoder.fail(f"The {what} are not a mapping of names to values")
    return value


def _check_state_names(decoder: Decoder, cls: type, state: dict[str, Any]) -> None:
    """State names must not shadow the class's methods or properties."""
    allowed = sklearn_fitted_names(cls) if sklearn_spec(cls) is not None else None
    for key in state:
        if key.startswith("__") or not key.isidentifier():
            raise decoder.fail(f"The state names {key!r}, which no fitted attribute is")
        if allowed is not None and key not in allowed:
            raise decoder.fail(
                f"{cls.__name__} has no stored attribute {key!r} (mlprep stores "
                f"{list(allowed)})"
            )
        found = inspect.getattr_static(cls, key, None)
        if (
            callable(found)
            or inspect.isdatadescriptor(found)
            or isinstance(found, (classmethod, staticmethod))
        ):
            raise decoder.fail(
                f"The state names {key!r}, a method or property of {cls.__name__}"
            )


def _decode_object(decoder: Decoder, node: dict[str, Any], depth: int) -> Any:
    name = node["__class__"]
    cls = lookup(name) if isinstance(name, str) else None
    if cls is None:
        raise PersistenceError(
            f"The file names class {name!r}, which is not one mlprep can load "
            f"(at {decoder.where()}). Only mlprep transformers and splitters, "
            "scikit-learn Pipeline/ColumnTransformer/FeatureUnion and the "
            "scikit-learn estimators of mlprep.core.persistence.sklearn_allowed() are loaded."
        )
    extra = set(node) - {"__class__", "params", "state"}
    if extra:
        raise decoder.fail(f"The entry for {name} has unknown keys {sorted(extra)}")
    decoder.path.append(cls.__name__)
    params = _plain_dict(
        decoder, decoder.child("params", node.get("params", {}), depth), "parameters"
    )
    state = _plain_dict(
        decoder,
        decoder.child("state", node.get("state", {}), depth),
        "fitted attributes",
    )
    where = decoder.where()
    if not name.startswith("mlprep."):
        params = adapt_params(
            cls, params, getattr(decoder, "sklearn_version", None), where
        )
    if name == "sklearn.pipeline.Pipeline" and params.get("memory") is not None:
        raise decoder.fail(
            f"The file sets Pipeline memory={params['memory']!r}: a memory cache "
            "makes fit read joblib pickles from that place, which a file must not "
            "choose. Refused; set memory on the loaded pipeline yourself if you "
            "trust the directory"
        )
    known = set(init_params_of(cls))
    unknown = sorted(set(params) - known)
    if unknown:
        raise decoder.fail(
            f"The file is malformed: {cls.__name__} has no parameter(s) {unknown}"
        )
    _check_state_names(decoder, cls, state)
    obj = cls(**params)
    vars(obj).update(state)
    if state:
        try:
            _check_loaded(obj, cls, name)
        except PersistenceError as exc:
            raise PersistenceError(f"{exc} (at {where})") from exc
    decoder.path.pop()
    return obj


def init_params_of(cls: type) -> list[str]:
    """The constructor parameter names of a class."""
    return [
        p.name
        for p in inspect.signature(cls).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _check_loaded(obj: Any, cls: type, name: str) -> None:
    hook = getattr(obj, "_check_loaded_state", None)
    if name.startswith("mlprep.") and hook is not None:
        hook()
    elif (spec := sklearn_spec(cls)) is not None:
        check_sklearn_state(obj, spec)
    elif name in _COMPOSITES:
        check_composite_state(obj)


def loads(data: str | bytes) -> Any:
    """Rebuild the object from the text (or bytes) :func:`dumps` / :func:`save` made.

    Parameters
    ----------
    data : str or bytes
        A document of format version 1 or 2, optionally gzip-compressed (bytes).

    Returns
    -------
    object

    Raises
    ------
    PersistenceError
        Anything wrong with the document, naming where.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    header, payload = unpack(raw)
    if not isinstance(payload, dict) or "__class__" not in payload:
        raise PersistenceError("The file's object entry is not an mlprep object.")
    decoder = _Decoder(header.get("sklearn_version"))
    try:
        return decoder.decode(payload)
    except PersistenceError:
        raise
    except Exception as exc:  # anything a hostile file can provoke, with its place
        raise PersistenceError(
            f"The file is malformed at {decoder.where()}: {exc!r}."
        ) from exc


def _label(target: Any) -> str:
    if isinstance(target, (str, os.PathLike)):
        return os.fspath(target)
    return str(getattr(target, "name", "<file object>"))


def save(
    obj: Any,
    path: str | os.PathLike[str] | IO[bytes],
    *,
    fitted: bool = True,
    compress: bool = False,
) -> None:
    """Write a fitted transformer, splitter or pipeline of them as JSON.

    Parameters
    ----------
    obj : mlprep transformer or splitter, scikit-learn Pipeline / ColumnTransformer / FeatureUnion, or an allow-listed scikit-learn estimator
        The allow-list (:func:`mlprep.core.persistence.sklearn_allowed`) holds scikit-learn
        scalers and linear models, whose fitted state is plain arrays.
    path : str, path-like or binary file object
        The file to write (conventionally ``*.json``); a path is replaced
        atomically (never a half-written file), a file object is written to.
    fitted : bool, default=True
        An unfitted estimator (or a pipeline with an unfitted step) is
        refused. ``fitted=False`` writes the configuration only: the
        parameters, without any fitted state, fitted or not.
    compress : bool, default=False
        gzip the document (:func:`load` recognises it).

    Raises
    ------
    PersistenceError
        ``obj`` is not fitted, or holds something that cannot be stored safely
        (a callable, another library's estimator: the message names skops).

    Examples
    --------
    >>> import io, numpy as np, tempfile, os
    >>> from mlprep import load, save
    >>> from mlprep.scale import StandardScaler
    >>> scaler = StandardScaler().fit(np.array([[1.0], [3.0]]))
    >>> path = os.path.join(tempfile.mkdtemp(), "scaler.json")
    >>> save(scaler, path)
    >>> load(path).transform(np.array([[5.0]]))
    array([[3.]])
    >>> buffer = io.BytesIO()
    >>> save(scaler, buffer, compress=True)
    >>> _ = buffer.seek(0)
    >>> load(buffer).mean_
    {'x0': 2.0}
    >>> save(StandardScaler(), buffer)
    Traceback (most recent call last):
    ...
    mlprep.exceptions.PersistenceError: Cannot save this StandardScaler: it is not fitted (StandardScaler not fitted). Fit it first, or save its configuration (parameters only) with save(obj, path, fitted=False).
    """
    data = _document(obj, fitted=fitted)
    if compress:
        data = gzip.compress(data, compresslevel=1, mtime=0)
    if hasattr(path, "write"):
        path.write(data)
        return
    target = os.fspath(path)
    partial = f"{target}.{os.getpid()}.partial"
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)  # never a half-written file at ``path``
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def load(path: str | os.PathLike[str] | IO[bytes]) -> Any:
    """Read an object written by :func:`save`.

    Parameters
    ----------
    path : str, path-like or binary file object

    Returns
    -------
    object
        The transformer, splitter or pipeline, fitted as it was saved (or
        unfitted, for a file saved with ``fitted=False``).

    Raises
    ------
    PersistenceError
        Every problem, naming the file and where in it: not readable, not
        valid JSON, not an mlprep file, a newer format, altered after writing,
        a class outside mlprep's registry, a parameter this scikit-learn cannot
        express, or a fitted state that does not fit its class.
    """
    label = _label(path)
    try:
        if hasattr(path, "read"):
            raw = path.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        raise PersistenceError(f"Cannot read {label}: {exc}.") from exc
    if not isinstance(raw, (bytes, bytearray, str)):
        raise PersistenceError(
            f"Cannot read {label}: read() gave a {type(raw).__name__}."
        )
    try:
        return loads(raw if isinstance(raw, str) else bytes(raw))
    except PersistenceError as exc:
        raise PersistenceError(f"{label}: {exc}") from exc
