"""One step of a pipeline spec."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Step"]


@dataclass(frozen=True)
class Step:
    """A checked step of a :class:`~mlprep.spec.Spec`.

    Made by :func:`~mlprep.spec.load_spec`, which has already resolved the
    class and validated the parameters; the fields keep the step as written,
    so :meth:`to_dict` gives it back unchanged.

    Parameters
    ----------
    class_name : str
        The ``"class"`` as written: a short (``Imputer``) or full
        (``mlprep.impute.Imputer``) registry name.
    estimator_class : type
        The mlprep transformer class it names.
    arguments : dict
        The constructor arguments: ``params`` with JSON lists turned into
        tuples where the parameter needs a tuple, plus ``columns``.
    params : dict or None
        The ``"params"`` as written (None when the step has none).
    name : str or None
        The ``"name"`` as written.
    columns : tuple of str or None
        The ``"columns"`` as written.

    Examples
    --------
    >>> from mlprep.spec import load_spec
    >>> step = load_spec({"steps": [{"class": "RobustScaler",
    ...     "params": {"quantile_range": [10, 90]}, "columns": ["age"]}]}).steps[0]
    >>> step.estimator()
    RobustScaler(columns=['age'], quantile_range=[10, 90])
    >>> step.to_dict()
    {'class': 'RobustScaler', 'columns': ['age'], 'params': {'quantile_range': [10, 90]}}
    """

    class_name: str
    estimator_class: type
    arguments: dict[str, Any] = field(repr=False, compare=False)
    params: dict[str, Any] | None = None
    name: str | None = None
    columns: tuple[str, ...] | None = None

    def estimator(self) -> Any:
        """A new, unfitted instance of the step's transformer."""
        return self.estimator_class(**copy.deepcopy(self.arguments))

    def to_dict(self) -> dict[str, Any]:
        """The step as a JSON-able mapping, as it was written."""
        written: dict[str, Any] = {"class": self.class_name}
        if self.name is not None:
            written["name"] = self.name
        if self.columns is not None:
            written["columns"] = list(self.columns)
        if self.params is not None:
            written["params"] = copy.deepcopy(self.params)
        return written
