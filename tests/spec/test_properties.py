"""Hypothesis: any valid steps drawn from the registry's choice parameters build as written."""

from __future__ import annotations

import importlib.util
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core._validation import Boolean, Options
from mlprep.encode import CountEncoder, OneHotEncoder
from mlprep.impute import Imputer
from mlprep.outliers import OutlierHandler
from mlprep.scale import Binner, MinMaxScaler, PowerTransformer, RootTransformer
from mlprep.spec import build_pipeline, load_spec, spec_schema

CLASSES = [
    Imputer,
    OutlierHandler,
    Binner,
    MinMaxScaler,
    PowerTransformer,
    RootTransformer,
    OneHotEncoder,
    CountEncoder,
]


def _choices(cls: type) -> dict[str, list]:
    """Each parameter declared with Options or Boolean, and the values it allows."""
    choices = {}
    for name, constraints in cls._parameter_constraints.items():
        values: list = []
        for constraint in constraints:
            if constraint is Boolean:
                values += [False, True]
            elif isinstance(constraint, Options):
                values += [v for v in constraint.options if isinstance(v, (str, int))]
        if values:
            choices[name] = values
    return choices


CHOICES = {cls: _choices(cls) for cls in CLASSES}


@st.composite
def steps(draw: st.DrawFn) -> dict:
    cls = draw(st.sampled_from(CLASSES))
    names = draw(st.sets(st.sampled_from(sorted(CHOICES[cls]))))
    step: dict = {
        "class": draw(
            st.sampled_from(
                [cls.__name__, f"mlprep.{cls.__module__.split('.')[1]}.{cls.__name__}"]
            )
        )
    }
    if names:
        step["params"] = {
            n: draw(st.sampled_from(CHOICES[cls][n])) for n in sorted(names)
        }
    if draw(st.booleans()):
        step["columns"] = draw(
            st.lists(
                st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True
            )
        )
    return step


specs = st.lists(steps(), min_size=1, max_size=5).map(lambda s: {"steps": s})


def test_the_drawn_classes_have_choices() -> None:
    assert all(CHOICES.values())


@given(specs)
def test_build_gives_the_parameters_written(spec: dict) -> None:
    pipeline = build_pipeline(spec)
    assert len(pipeline.steps) == len(spec["steps"])
    for written, (_, estimator) in zip(spec["steps"], pipeline.steps):
        cls = type(estimator)
        assert written["class"].rsplit(".", 1)[-1] == cls.__name__
        expected = cls().get_params(deep=False)
        expected.update(written.get("params", {}))
        if "columns" in written:
            expected["columns"] = written["columns"]
        assert estimator.get_params(deep=False) == expected


@given(specs)
def test_to_dict_and_json_give_the_spec_back(spec: dict) -> None:
    loaded = load_spec(spec)
    assert loaded.to_dict() == spec
    assert load_spec(json.loads(json.dumps(loaded.to_dict()))) == loaded


@pytest.mark.skipif(
    importlib.util.find_spec("jsonschema") is None, reason="jsonschema is not installed"
)
@given(specs)
def test_the_schema_accepts_every_spec_that_loads(spec: dict) -> None:
    import jsonschema

    load_spec(spec)
    jsonschema.validate(spec, _SCHEMA, cls=jsonschema.Draft202012Validator)


_SCHEMA = spec_schema()
