"""Reading a spec from a JSON or YAML file, or a mapping, and checking all of it."""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sklearn.pipeline import Pipeline

from mlprep.exceptions import MissingDependencyError
from mlprep.spec._errors import SpecError
from mlprep.spec._resolve import constructor_arguments, did_you_mean, resolve_class
from mlprep.spec._spec import DROP_STEP, Spec
from mlprep.spec._step import Step

__all__ = ["SPEC_KEYS", "STEP_KEYS", "load_spec"]

SPEC_KEYS = ("$schema", "steps", "drop", "passthrough", "target")
"""The keys a spec may have (only ``"steps"`` is required)."""

STEP_KEYS = ("class", "name", "columns", "params")
"""The keys a step may have (only ``"class"`` is required)."""

_YAML_SUFFIXES = (".yaml", ".yml")


def load_spec(spec: str | os.PathLike[str] | Mapping[str, Any]) -> Spec:
    """Read and check a pipeline spec.

    Every class is resolved from mlprep's registry and every parameter is
    validated now, so a spec that loads also builds.

    Parameters
    ----------
    spec : str, path-like or mapping
        A ``.json`` file, a ``.yaml``/``.yml`` file (needs PyYAML:
        ``pip install 'mlprep-kit[yaml]'``), or the spec itself as a mapping.
        Files with any other suffix are read as JSON.

    Returns
    -------
    Spec

    Raises
    ------
    SpecError
        Anything wrong with the spec, with the file (``spec`` for a mapping),
        the step and the fix in the message; malformed JSON or YAML gives the
        line and column.
    MissingDependencyError
        A YAML file without PyYAML installed.

    Examples
    --------
    >>> from mlprep.spec import load_spec
    >>> spec = load_spec({
    ...     "steps": [
    ...         {"class": "Imputer", "name": "impute",
    ...          "params": {"strategy": "median"}, "columns": ["age", "income"]},
    ...         {"class": "mlprep.scale.RobustScaler", "columns": ["income"]},
    ...     ],
    ...     "passthrough": ["id"],
    ...     "target": "label",
    ... })
    >>> [step.estimator_class.__name__ for step in spec.steps]
    ['Imputer', 'RobustScaler']
    >>> load_spec({"steps": [{"class": "RobustScaler", "name": "scale",
    ...                       "params": {"quantile": [5, 95]}}]})
    Traceback (most recent call last):
    ...
    mlprep.spec._errors.SpecError: spec, step 1 ("scale", RobustScaler): unknown parameter 'quantile'; did you mean 'quantile_range'?
    """
    if isinstance(spec, Mapping):
        source = "spec"
        document: Any = spec
    else:
        source = os.fspath(spec)
        document = _read(Path(source), source)
    return _parse(_plain(document, "", source), source)


def _read(path: Path, source: str) -> Any:
    is_yaml = path.suffix.lower() in _YAML_SUFFIXES
    if is_yaml:
        try:
            import yaml
        except ImportError as error:
            raise MissingDependencyError(
                f"{source}: reading a YAML spec needs PyYAML: pip install "
                "'mlprep-kit[yaml]' (or write the spec as JSON)"
            ) from error
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SpecError(f"{source}: the spec is not UTF-8 text") from error
    except OSError as error:
        raise SpecError(
            f"{source}: cannot read the spec: {error.strerror or error}"
        ) from error
    if is_yaml:
        try:
            return yaml.safe_load(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            where = (
                ""
                if mark is None
                else f" at line {mark.line + 1}, column {mark.column + 1}"
            )
            raise SpecError(
                f"{source}: invalid YAML{where}: {error.problem or error.context}"
            ) from error
        except yaml.YAMLError as error:
            raise SpecError(f"{source}: invalid YAML: {error}") from error
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates(source))
    except json.JSONDecodeError as error:
        raise SpecError(
            f"{source}: invalid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}"
        ) from error


def _refuse_duplicates(source: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in pairs:
            if key in mapping:
                raise SpecError(
                    f"{source}: the key {key!r} appears twice in one object; keep one"
                )
            mapping[key] = value
        return mapping

    return hook


def _plain(value: Any, path: str, source: str) -> Any:
    """A copy of ``value`` made of JSON values only (tuples become lists)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{path}[{i}]", source) for i, item in enumerate(value)]
    if isinstance(value, Mapping):
        plain = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise SpecError(
                    f"{source}: {path or 'the spec'} has the key {key!r}; keys must "
                    "be strings"
                )
            plain[key] = _plain(item, f"{path}.{key}" if path else key, source)
        return plain
    raise SpecError(
        f"{source}: {path or 'the spec'} is {value!r}, a {type(value).__name__}; a "
        "spec holds JSON values only (strings, numbers, booleans, null, lists, "
        "objects): quote it or write it as a list"
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _check_keys(mapping: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or "; the keys are " + ", ".join(
                repr(k) for k in allowed
            )
            raise SpecError(f"{where}: unknown key {key!r}{hint}")


def _column_list(
    value: Any, what: str, where: str, *, non_empty: bool
) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not all(isinstance(v, str) and v for v in value)
        or (non_empty and not value)
    ):
        raise SpecError(
            f'{where}: "{what}" must be a {"non-empty " if non_empty else ""}list '
            f"of column names; got {value!r}"
        )
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        raise SpecError(f'{where}: "{what}" names {repeated[0]!r} twice')
    return tuple(value)


def _parse(document: Any, source: str) -> Spec:
    if not isinstance(document, dict):
        raise SpecError(
            f'{source}: a spec is an object with a "steps" list; got '
            f"{_json_type(document)}"
        )
    _check_keys(document, SPEC_KEYS, source)
    schema = document.get("$schema")
    if schema is not None and not isinstance(schema, str):
        raise SpecError(f'{source}: "$schema" must be a string; got {schema!r}')
    steps = document.get("steps")
    if not isinstance(steps, list) or not steps:
        raise SpecError(
            f'{source}: a spec needs "steps", a non-empty list of steps such as '
            '{"class": "Imputer", "params": {"strategy": "median"}}'
        )
    lists = {
        key: _column_list(document[key], key, source, non_empty=False)
        for key in ("drop", "passthrough")
        if key in document
    }
    target = document.get("target")
    if target is not None and (not isinstance(target, str) or not target):
        raise SpecError(f'{source}: "target" must be a column name; got {target!r}')
    protected = _protected_columns(lists, target, source)
    parsed = tuple(
        _parse_step(number, raw, source, protected, bool(lists.get("passthrough")))
        for number, raw in enumerate(steps, start=1)
    )
    spec = Spec(
        steps=parsed,
        drop=lists.get("drop"),
        passthrough=lists.get("passthrough"),
        target=target,
        schema=schema,
        source=source,
    )
    _check_names(spec)
    return spec


def _protected_columns(
    lists: dict[str, tuple[str, ...]], target: str | None, source: str
) -> dict[str, str]:
    """Column name to why no step may name it; refuses a column in two roles."""
    roles = {
        "drop": "dropped before the steps",
        "passthrough": "passed through untouched",
        "target": "the target",
    }
    protected: dict[str, str] = {}
    claims = [(key, column) for key, columns in lists.items() for column in columns]
    if target is not None:
        claims.append(("target", target))
    for key, column in claims:
        if column in protected:
            raise SpecError(
                f"{source}: column {column!r} is both {protected[column]} and "
                f"{roles[key]}; give it one role"
            )
        protected[column] = roles[key]
    return protected


def _parse_step(
    number: int,
    raw: Any,
    source: str,
    protected: dict[str, str],
    has_passthrough: bool,
) -> Step:
    where = f"{source}, step {number}"
    if not isinstance(raw, dict):
        raise SpecError(
            f'{where}: a step is an object with a "class"; got {_json_type(raw)}'
        )
    name = raw.get("name")
    if name is not None:
        _check_name(name, where)
        where = f'{where} ("{name}")'
    _check_keys(raw, STEP_KEYS, where)
    written_class = raw.get("class")
    if not isinstance(written_class, str):
        raise SpecError(
            f'{where}: a step needs "class", the name of an mlprep transformer '
            f"such as 'Imputer'; got {written_class!r}"
        )
    cls = resolve_class(written_class, where)
    label = f'"{name}", {cls.__name__}' if name is not None else cls.__name__
    where = f"{source}, step {number} ({label})"
    params = raw.get("params")
    if params is not None and not isinstance(params, dict):
        raise SpecError(
            f'{where}: "params" must be an object; got {_json_type(params)}'
        )
    columns = (
        _column_list(raw["columns"], "columns", where, non_empty=True)
        if "columns" in raw
        else None
    )
    arguments = constructor_arguments(
        cls, params or {}, None if columns is None else list(columns), where
    )
    selected = arguments.get("columns")
    for column in [selected] if isinstance(selected, str) else selected or []:
        if column in protected:
            raise SpecError(
                f"{where}: column {column!r} is {protected[column]}; a step may not "
                "name it"
            )
    if has_passthrough and selected is None:
        raise SpecError(
            f'{where}: give the step "columns": with "passthrough" set, every step '
            "names the columns it works on (one that picks columns by kind could "
            "change a passthrough column)"
        )
    return Step(
        class_name=written_class,
        estimator_class=cls,
        arguments=arguments,
        params=params,
        name=name,
        columns=columns,
    )


def _check_name(name: Any, where: str) -> None:
    # the names scikit-learn's Pipeline refuses, refused here with the step's number
    if not isinstance(name, str) or not name:
        raise SpecError(f'{where}: "name" must be a non-empty string; got {name!r}')
    if "__" in name:
        raise SpecError(
            f'{where} ("{name}"): a step name may not contain "__" (scikit-learn '
            "uses it for nested parameters)"
        )
    if name in inspect.signature(Pipeline).parameters:
        raise SpecError(
            f'{where} ("{name}"): {name!r} is a parameter of scikit-learn\'s '
            "Pipeline and cannot name a step"
        )


def _check_names(spec: Spec) -> None:
    seen = {DROP_STEP} if spec.drop else set()
    for number, (name, step) in enumerate(zip(spec.step_names(), spec.steps), start=1):
        if name in seen:
            raise SpecError(
                f'{spec.source}, step {number} ("{name}", '
                f"{step.estimator_class.__name__}): the pipeline already has a step "
                f'named {name!r}; give this step another "name"'
            )
        seen.add(name)
