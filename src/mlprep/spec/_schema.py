"""The JSON Schema of a pipeline spec, generated from the class registry."""

from __future__ import annotations

import inspect
import math
from numbers import Integral, Real
from typing import Any

from mlprep.core._validation import Boolean, InstanceOf, Interval, NoneOK, Options
from mlprep.spec._resolve import parameter_names, short_names, transformer_classes

__all__ = ["DRAFT", "spec_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_COLUMN_LIST = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "uniqueItems": True,
}

# Python types an ``InstanceOf`` constraint may name, as JSON Schema types
_JSON_TYPES: dict[type, str] = {
    bool: "boolean",
    str: "string",
    int: "integer",
    Integral: "integer",
    float: "number",
    Real: "number",
    dict: "object",
    list: "array",
    tuple: "array",
}


def spec_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the pipeline spec format.

    Generated from mlprep's class registry: one branch of a ``oneOf`` per
    transformer, told apart by ``"class"`` (its short or full name), with its
    parameters typed from its ``_parameter_constraints`` where they say it
    (choices become ``enum``; booleans, numbers with bounds and ``null``
    become types) and left open otherwise; unknown parameters are refused.
    Each parameter carries its default and the validator's description.

    The schema checks a spec's shape, for editors and CI; :func:`load_spec`
    checks everything the schema can't (a step naming a dropped column,
    values only a validator function can judge).

    Returns
    -------
    dict
        The schema, ready for ``json.dumps``.

    Examples
    --------
    >>> from mlprep.spec import spec_schema
    >>> schema = spec_schema()
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> imputer = schema["$defs"]["mlprep.impute.Imputer"]
    >>> imputer["properties"]["class"]
    {'enum': ['Imputer', 'mlprep.impute.Imputer']}
    >>> imputer["properties"]["params"]["properties"]["add_indicator"]["type"]
    'boolean'
    """
    classes = transformer_classes()
    unique_short = {
        short: fulls[0]
        for short, fulls in short_names(classes).items()
        if len(fulls) == 1
    }
    short_of = {full: short for short, full in unique_short.items()}
    definitions = {
        full: _class_schema(cls, [n for n in (short_of.get(full), full) if n])
        for full, cls in classes.items()
    }
    return {
        "$schema": DRAFT,
        "title": "mlprep pipeline spec",
        "description": (
            "Steps of mlprep transformers, built into a scikit-learn Pipeline by "
            "mlprep.spec.build_pipeline."
        ),
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "steps": {
                "type": "array",
                "minItems": 1,
                "items": {"oneOf": [{"$ref": f"#/$defs/{full}"} for full in classes]},
            },
            "drop": {
                **_COLUMN_LIST,
                "description": "Columns removed before the steps.",
            },
            "passthrough": {
                **_COLUMN_LIST,
                "description": "Columns no step may touch; every step then names its columns.",
            },
            "target": {
                "type": "string",
                "minLength": 1,
                "description": "The label column, passed to fit as y; no step may name it.",
            },
        },
        "required": ["steps"],
        "additionalProperties": False,
        "$defs": definitions,
    }


def _class_schema(cls: type, names: list[str]) -> dict[str, Any]:
    signature = inspect.signature(cls).parameters
    constraints = cls._parameter_constraints  # type: ignore[attr-defined]
    params = {
        name: _parameter_schema(constraints.get(name, []), signature[name].default)
        for name in parameter_names(cls)
    }
    properties: dict[str, Any] = {
        "class": {"enum": names},
        "name": {"type": "string", "minLength": 1, "not": {"pattern": "__"}},
    }
    if "columns" in params:
        properties["columns"] = {**_COLUMN_LIST, "minItems": 1}
    properties["params"] = {
        "type": "object",
        "properties": params,
        "additionalProperties": False,
    }
    doc = inspect.getdoc(cls) or cls.__name__
    return {
        "title": cls.__name__,
        "description": doc.splitlines()[0],
        "type": "object",
        "properties": properties,
        "required": ["class"],
        "additionalProperties": False,
        # "columns" on the step or in "params", not both
        "not": {
            "required": ["columns", "params"],
            "properties": {"params": {"required": ["columns"]}},
        },
    }


def _parameter_schema(constraints: list[Any], default: Any) -> dict[str, Any]:
    forms = [_constraint_schema(c) for c in constraints]
    known = [form for form in forms if form is not None]
    schema: dict[str, Any] = {}
    if known and len(known) == len(forms):  # one open form leaves the value open
        schema = known[0] if len(known) == 1 else {"anyOf": known}
    schema = {**schema, "description": " or ".join(str(c) for c in constraints)}
    if _is_json(default):
        schema["default"] = _as_json(default)
    return schema


def _constraint_schema(constraint: Any) -> dict[str, Any] | None:
    """The JSON Schema of one constraint, or None when it says no JSON shape."""
    if constraint is Boolean:
        return {"type": "boolean"}
    if constraint is NoneOK:
        return {"type": "null"}
    if isinstance(constraint, Options):
        if all(_is_json(option) for option in constraint.options):
            return {"enum": [_as_json(option) for option in constraint.options]}
        return None
    if isinstance(constraint, Interval):
        return _interval_schema(constraint)
    if isinstance(constraint, InstanceOf):
        types = (
            constraint.types
            if isinstance(constraint.types, tuple)
            else (constraint.types,)
        )
        if all(t in _JSON_TYPES for t in types):
            names = sorted({_JSON_TYPES[t] for t in types})
            return {"type": names[0] if len(names) == 1 else names}
    return None


def _interval_schema(interval: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "integer" if interval.kind is Integral else "number"
    }
    closed_left = interval.closed in ("left", "both")
    closed_right = interval.closed in ("right", "both")
    if interval.left is not None and math.isfinite(interval.left):
        schema["minimum" if closed_left else "exclusiveMinimum"] = interval.left
    if interval.right is not None and math.isfinite(interval.right):
        schema["maximum" if closed_right else "exclusiveMaximum"] = interval.right
    return schema


def _is_json(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def _as_json(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    return value
