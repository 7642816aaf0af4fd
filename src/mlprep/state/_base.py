"""What every partial statistic is: update, merge, JSON, and a registry to read it back.

A partial state summarises the batches it has seen so that two states of
the same configuration merge into the state of both batches together, in
any order. States are plain data: :meth:`PartialState.to_dict` gives a
JSON-able dict tagged with the state's ``kind`` and the format version, and
:func:`state_from_dict` reads one back (only the kinds registered here, so
a file can never name code to run).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from mlprep.exceptions import PersistenceError

__all__ = ["STATE_VERSION", "PartialState", "state_from_dict"]

STATE_VERSION = 1
"""Version of the partial-state format; a newer file is refused by name."""

_KINDS: dict[str, type[PartialState]] = {}

S = TypeVar("S", bound="PartialState")


class PartialState:
    """Base class of the mergeable statistics in :mod:`mlprep.state`.

    Subclasses set ``kind``, implement :meth:`merge`, :meth:`_config`,
    :meth:`_data` and :meth:`_from_data`; they register themselves.
    """

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            _KINDS[cls.kind] = cls

    def merge(self: S, other: S) -> S:  # pragma: no cover - abstract
        """The state of both inputs together; neither input is modified."""
        raise NotImplementedError

    def _config(self) -> dict[str, Any]:
        """The settings two states must share to merge (sketch size, seed, ...)."""
        return {}

    def _data(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def _from_data(
        cls: type[S], config: dict[str, Any], data: dict[str, Any]
    ) -> S:  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_mergeable(self, other: PartialState, what: str = "") -> None:
        from mlprep.exceptions import DataError

        if type(other) is not type(self):
            raise DataError(
                f"Cannot merge a {type(self).__name__} with a "
                f"{type(other).__name__}{what}."
            )
        if other._config() != self._config():
            raise DataError(
                f"Cannot merge {type(self).__name__} states of different settings"
                f"{what}: {self._config()} and {other._config()}. Fit every part "
                "with the same parameters."
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict: ``{"kind", "version", "config", "data"}``."""
        return {
            "kind": self.kind,
            "version": STATE_VERSION,
            "config": self._config(),
            "data": self._data(),
        }

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        # pickle (joblib, multiprocessing, copy.deepcopy) through the JSON
        # form: sketches from DataSketches have no pickle support of their own
        return state_from_dict, (self.to_dict(),)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (other.to_dict() == self.to_dict())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        config = ", ".join(f"{k}={v!r}" for k, v in self._config().items())
        return f"{type(self).__name__}({config})"


def state_from_dict(document: Any) -> PartialState:
    """Read back a state written by :meth:`PartialState.to_dict`.

    Raises
    ------
    PersistenceError
        The document is not a state, names an unknown kind, or was written
        by a newer format version.

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.state import MomentsState
    >>> state = MomentsState.of(np.array([1.0, 2.0, np.nan]))
    >>> state_from_dict(state.to_dict()) == state
    True
    """
    if not isinstance(document, dict) or not isinstance(document.get("kind"), str):
        raise PersistenceError("A partial state must be a dict with a 'kind'.")
    kind = document["kind"]
    cls = _KINDS.get(kind)
    if cls is None:
        raise PersistenceError(
            f"Unknown partial-state kind {kind!r}; known: {sorted(_KINDS)}."
        )
    version = document.get("version")
    if not isinstance(version, int) or not 1 <= version <= STATE_VERSION:
        raise PersistenceError(
            f"The {kind} state has format version {version!r}; this mlprep reads "
            f"versions 1 to {STATE_VERSION}. Upgrade mlprep to read it."
        )
    config, data = document.get("config"), document.get("data")
    if not isinstance(config, dict) or not isinstance(data, dict):
        raise PersistenceError(f"The {kind} state is malformed.")
    try:
        return cls._from_data(config, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise PersistenceError(f"The {kind} state is malformed: {exc}") from exc
