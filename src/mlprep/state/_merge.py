"""Merging partial states, and :func:`merge` of partially fitted estimators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlprep.exceptions import DataError
from mlprep.state._base import PartialState

__all__ = ["merge", "merge_states"]


def merge_states(a: Any, b: Any, *, path: str = "state") -> Any:
    """Merge two estimator states of the same layout.

    A state is a :class:`PartialState`, a dict of states (keys are united:
    a category seen by one part only is kept), a list of states of equal
    length, or a plain value both parts must share.

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.state import MomentsState
    >>> a = {"x": MomentsState.of(np.array([1.0, 2.0]))}
    >>> b = {"x": MomentsState.of(np.array([3.0])), "y": MomentsState.of(np.array([5.0]))}
    >>> merged = merge_states(a, b)
    >>> merged["x"].count, merged["y"].mean
    (3, 5.0)
    """
    if isinstance(a, PartialState):
        a._check_mergeable(b, f" at {path}")
        return a.merge(b)
    if isinstance(a, dict) and isinstance(b, dict):
        merged = dict(a)
        for key, value in b.items():
            merged[key] = (
                merge_states(a[key], value, path=f"{path}/{key}") if key in a else value
            )
        return merged
    if (
        isinstance(a, (list, tuple))
        and isinstance(b, (list, tuple))
        and len(a) == len(b)
    ):
        return type(a)(
            merge_states(x, y, path=f"{path}/{i}") for i, (x, y) in enumerate(zip(a, b))
        )
    if a == b:
        return a
    raise DataError(
        f"The partial states differ at {path} ({a!r} vs {b!r}); they come from "
        "differently configured estimators and cannot be merged."
    )


_INGEST_ATTRIBUTES = ("n_features_in_", "feature_names_in_", "columns_")


def merge(estimators: Iterable[Any]) -> Any:
    """One estimator whose statistics are those of several partial fits together.

    Each estimator is a copy of the same configuration fitted with
    ``partial_fit`` (or on a lazy source or Spark) on its own share of the
    data: one per shard, per host or per process. The result is a new
    estimator, as if one had seen all the shares; the order does not matter
    (sketch-based quantiles agree within their rank error). The inputs are
    not modified. The result can be merged again or given more batches.

    Parameters
    ----------
    estimators : iterable of mlprep estimators, or of scikit-learn Pipelines
        At least one; the same class and parameters, fitted on the same
        columns, each with its partial state (``partial_state_``). Pipelines
        merge when every step but the last is the same fitted estimator and
        the last steps merge: a later step learns from what the earlier ones
        make of its shard, so a sharded pipeline is fitted one step at a time
        (``mlprep fit --partial``, then ``--state`` with the merged result).

    Returns
    -------
    estimator
        A fitted estimator of the same class.

    Raises
    ------
    DataError
        An estimator was not partially fitted, or they differ in class,
        parameters or columns (the message names which).

    Examples
    --------
    >>> import pandas as pd
    >>> import mlprep
    >>> from mlprep.scale import StandardScaler
    >>> shard_a = StandardScaler().partial_fit(pd.DataFrame({"x": [1.0, 2.0]}))
    >>> shard_b = StandardScaler().partial_fit(pd.DataFrame({"x": [3.0, 4.0]}))
    >>> mlprep.merge([shard_a, shard_b]).mean_
    {'x': 2.5}
    """
    from sklearn.base import clone

    from mlprep.core.persistence import dumps_params

    parts = list(estimators)
    if not parts:
        raise DataError("merge needs at least one estimator; got none.")
    first = parts[0]
    if _is_pipeline(first):
        return _merge_pipelines(parts)
    owner = type(first).__name__
    params = dumps_params(first)
    for index, part in enumerate(parts):
        if type(part) is not type(first):
            raise DataError(
                f"Estimator {index} is a {type(part).__name__}, estimator 0 a {owner}: "
                "merge combines copies of one estimator."
            )
        if getattr(part, "partial_state_", None) is None:
            raise DataError(
                f"Estimator {index} ({owner}) has no partial state: it is unfitted or "
                "was fitted with fit() on in-memory data, whose exact statistics do "
                "not merge. Fit each part with partial_fit() (or on a lazy source)."
            )
        if dumps_params(part) != params:
            raise DataError(
                f"Estimator {index} ({owner}) has other parameters than estimator 0: "
                f"{part.get_params(deep=False)} vs {first.get_params(deep=False)}."
            )
        for name in _INGEST_ATTRIBUTES:
            mine, theirs = (
                _plain(getattr(first, name, None)),
                _plain(getattr(part, name, None)),
            )
            if mine != theirs:
                raise DataError(
                    f"Estimator {index} ({owner}) was fitted on other columns than "
                    f"estimator 0 ({name}: {theirs!r} vs {mine!r})."
                )
    state = first.partial_state_
    for index, part in enumerate(parts[1:], start=1):
        state = merge_states(state, part.partial_state_, path=f"estimator {index}")
    merged = clone(first)
    for name in _INGEST_ATTRIBUTES:
        if hasattr(first, name):
            setattr(merged, name, getattr(first, name))
    merged._adopt_state(state)
    return merged


def _plain(value: Any) -> Any:
    return (
        list(value)
        if hasattr(value, "__iter__") and not isinstance(value, str)
        else value
    )


def _is_pipeline(estimator: Any) -> bool:
    from sklearn.pipeline import Pipeline

    return isinstance(estimator, Pipeline)


def _merge_pipelines(parts: list[Any]) -> Any:
    """Pipelines fitted on shards, equal but for a partially fitted last step.

    A later step learns from what the earlier steps make of its shard, so only
    the last step may differ between the parts: the earlier ones must be the
    same fitted estimators (a staged fit merges them first, then every shard
    transforms through them and partially fits the next step).
    """
    from sklearn.pipeline import Pipeline

    from mlprep.core.persistence import dumps

    first = parts[0]
    names = [name for name, _ in first.steps]
    for index, part in enumerate(parts[1:], start=1):
        if not _is_pipeline(part) or [n for n, _ in part.steps] != names:
            raise DataError(
                f"Estimator {index} is not a pipeline with the steps {names} of "
                "estimator 0: merge combines copies of one pipeline."
            )
        for (name, step), (_, mine) in zip(part.steps[:-1], first.steps[:-1]):
            if dumps(step) != dumps(mine):
                raise DataError(
                    f"Step {name!r} of pipeline {index} differs from pipeline 0's. "
                    "Pipelines merge only when every step but the last is the same "
                    "fitted estimator: a later step learns from what the earlier ones "
                    "make of its shard. Merge the earlier steps first, then fit the "
                    "next step on every shard through them (mlprep fit --partial "
                    "--state MERGED)."
                )
    last = merge([part.steps[-1][1] for part in parts])
    return Pipeline([*first.steps[:-1], (names[-1], last)])
