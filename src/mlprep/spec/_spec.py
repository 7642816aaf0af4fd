"""A checked pipeline spec."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mlprep.spec._step import Step

__all__ = ["DROP_STEP", "Spec"]

DROP_STEP = "drop"
"""The name of the pipeline's first step when the spec has ``"drop"``."""


@dataclass(frozen=True)
class Spec:
    """A pipeline spec, checked against mlprep's class registry.

    Made by :func:`~mlprep.spec.load_spec` from a JSON or YAML file or a
    mapping; :func:`~mlprep.spec.build_pipeline` turns it into a
    scikit-learn ``Pipeline``. Fields that were absent from the spec are None.

    Parameters
    ----------
    steps : tuple of Step
        The transformers, in order.
    drop : tuple of str or None
        Columns removed before the first step.
    passthrough : tuple of str or None
        Columns no step may touch; they come out unchanged.
    target : str or None
        The label column: the caller passes it to ``fit`` as ``y``, not in
        ``X``. No step may name it.
    schema : str or None
        The spec's ``"$schema"`` (for editors); not used by mlprep.
    source : str
        Where the spec came from (its path, or ``"spec"`` for a mapping), as
        error messages name it. Not compared.

    Examples
    --------
    >>> from mlprep.spec import load_spec
    >>> spec = load_spec({
    ...     "steps": [{"class": "Imputer", "params": {"strategy": "median"}},
    ...               {"class": "StandardScaler", "name": "scale"}],
    ...     "drop": ["notes"],
    ... })
    >>> spec.step_names()
    ['imputer', 'scale']
    >>> spec.to_dict()["steps"][1]
    {'class': 'StandardScaler', 'name': 'scale'}
    """

    steps: tuple[Step, ...]
    drop: tuple[str, ...] | None = None
    passthrough: tuple[str, ...] | None = None
    target: str | None = None
    schema: str | None = None
    source: str = field(default="spec", compare=False)

    def step_names(self) -> list[str]:
        """The pipeline names of :attr:`steps`, in order.

        A step's ``"name"``, or else its class name in lower case
        (``"imputer"``), followed by ``-<step number>`` when that would repeat
        another step's name or the ``"drop"`` step's.
        """
        taken = {step.name for step in self.steps if step.name is not None}
        if self.drop:
            taken.add(DROP_STEP)
        plain = [step.estimator_class.__name__.lower() for step in self.steps]
        repeats = Counter(
            name for step, name in zip(self.steps, plain) if step.name is None
        )
        names = []
        for number, (step, name) in enumerate(zip(self.steps, plain), start=1):
            if step.name is not None:
                names.append(step.name)
            elif repeats[name] > 1 or name in taken:
                names.append(f"{name}-{number}")
            else:
                names.append(name)
        return names

    def to_dict(self) -> dict[str, Any]:
        """The spec as a JSON-able mapping, as it was written.

        ``json.dumps(spec.to_dict())`` is a file :func:`~mlprep.spec.load_spec`
        reads back into an equal spec.
        """
        written: dict[str, Any] = {}
        if self.schema is not None:
            written["$schema"] = self.schema
        written["steps"] = [step.to_dict() for step in self.steps]
        if self.drop is not None:
            written["drop"] = list(self.drop)
        if self.passthrough is not None:
            written["passthrough"] = list(self.passthrough)
        if self.target is not None:
            written["target"] = self.target
        return written
