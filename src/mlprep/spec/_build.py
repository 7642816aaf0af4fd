"""Turning a spec into a scikit-learn Pipeline of mlprep transformers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sklearn.pipeline import Pipeline

from mlprep.select import DropColumns
from mlprep.spec._load import load_spec
from mlprep.spec._spec import DROP_STEP, Spec

__all__ = ["build_pipeline"]


def build_pipeline(
    spec: Spec | str | os.PathLike[str] | Mapping[str, Any],
) -> Pipeline:
    """A new, unfitted scikit-learn ``Pipeline`` made from a spec.

    The pipeline is plain scikit-learn made of mlprep transformers, so
    ``clone``, ``set_params``, :func:`mlprep.save` and :func:`mlprep.load`
    work on it. When the spec has ``"drop"``, the first step is
    ``("drop", DropColumns(columns=[...]))``; then one step per spec step,
    named as :meth:`Spec.step_names` says.

    Parameters
    ----------
    spec : Spec, str, path-like or mapping
        A loaded spec, or anything :func:`load_spec` reads.

    Returns
    -------
    sklearn.pipeline.Pipeline

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.spec import build_pipeline
    >>> pipeline = build_pipeline({
    ...     "steps": [
    ...         {"class": "Imputer", "params": {"strategy": "median"},
    ...          "columns": ["age"]},
    ...         {"class": "MinMaxScaler", "columns": ["age"]},
    ...     ],
    ...     "drop": ["notes"],
    ...     "passthrough": ["id"],
    ... })
    >>> [name for name, _ in pipeline.steps]
    ['drop', 'imputer', 'minmaxscaler']
    >>> X = pd.DataFrame({"id": [7, 8, 9], "age": [20.0, None, 40.0],
    ...                   "notes": ["a", "b", "c"]})
    >>> pipeline.fit_transform(X)
       id  age
    0   7  0.0
    1   8  0.5
    2   9  1.0
    """
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    steps: list[tuple[str, Any]] = []
    if spec.drop:
        steps.append((DROP_STEP, DropColumns(columns=list(spec.drop))))
    steps.extend(
        (name, step.estimator()) for name, step in zip(spec.step_names(), spec.steps)
    )
    return Pipeline(steps)
