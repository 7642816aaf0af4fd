"""What each ``mlprep`` command does: read, fit or check, write, report.

Every command takes the parsed arguments and a :class:`Log`, and returns its
report (a JSON-ready dict) and the exit code. Libraries load here, inside the
commands, never when the parser is built.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw

from mlprep.exceptions import DataError

__all__ = ["COMMANDS", "Log", "input_format", "read_data"]

Report = dict[str, Any]


class Log:
    """One line per stage on stderr, with rows and seconds (silent with ``--quiet``)."""

    def __init__(self, command: str, *, quiet: bool) -> None:
        self.command = command
        self.quiet = quiet

    def line(self, message: str) -> None:
        if not self.quiet:
            print(f"mlprep {self.command}: {message}", file=sys.stderr, flush=True)

    @contextmanager
    def batches(self, doing: str, total: Callable[[], int]) -> Iterator[None]:
        """A progress bar of ``total()`` rows while sources are fitted batch by batch.

        Only on a terminal, and only with tqdm installed
        (``mlprep-kit[progress]``): CI and CloudWatch logs get the stage lines.
        """
        bar = None
        if not self.quiet and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                bar = None
            else:
                # 80 x 24 where the terminal does not say (tqdm hides a bar
                # below a screen height it reads as 0)
                size = shutil.get_terminal_size()
                bar = tqdm(
                    total=total(),  # counted only when a bar is drawn
                    desc=doing,
                    unit=" rows",
                    unit_scale=True,
                    ncols=size.columns,
                    nrows=size.lines,
                )
        if bar is None:
            yield
            return
        from mlprep.state._engine import BATCH_PROGRESS

        token = BATCH_PROGRESS.set(bar.update)
        try:
            yield
        finally:
            BATCH_PROGRESS.reset(token)
            bar.close()

    @contextmanager
    def stage(self, doing: str) -> Iterator[dict[str, Any]]:
        """Time a stage; the caller may put ``rows``/``columns`` in the dict it gets."""
        facts: dict[str, Any] = {}
        start = time.perf_counter()
        yield facts
        seconds = time.perf_counter() - start
        shape = ""
        if "rows" in facts:
            shape = f" {facts['rows']:,} rows"
            if "columns" in facts:
                shape += f" x {facts['columns']} columns"
        self.line(f"{doing}{shape} in {seconds:.2f} s")


# ------------------------------------------------------------------ helpers
def read_data(path: str, log: Log) -> Any:
    """Read the file, folder or glob at ``path`` into memory, logging rows and columns."""
    from mlprep.io import read

    with log.stage(f"read {path}:") as facts:
        frame = read(path)
        facts["rows"], facts["columns"] = frame.shape
    return frame


def _write(
    frame: Any, path: str, fmt: str | None, target: str | None, log: Log
) -> None:
    from mlprep.io import write

    with log.stage(f"wrote {path}:") as facts:
        write(frame, path, format=fmt, target=target)
        facts["rows"], facts["columns"] = nw.from_native(frame, eager_only=True).shape


def input_format(path: str) -> str:
    """The format of the data at ``path``: a file, a folder of shards or a glob."""
    from mlprep.io._paths import find_shards, shards_format

    return shards_format(find_shards(path), None)


def _take_target(frame: Any, target: str | None, path: str) -> tuple[Any, Any]:
    """``frame`` without the ``target`` column, and that column (or None)."""
    if target is None:
        return frame, None
    wrapped = nw.from_native(frame, eager_only=True)
    _check_target(target, wrapped.columns, path)
    return nw.to_native(wrapped.drop(target)), nw.to_native(wrapped[target])


def _check_target(target: str, columns: list[str], path: str) -> None:
    if target not in columns:
        raise DataError(
            f"The target column {target!r} is not in {path}. Its columns are "
            f"{columns[:20]}. Give the label column with --target."
        )


def _with_target(out: Any, y: Any, target: str | None) -> Any:
    """The transformed frame with the target column put back (``write`` puts it first)."""
    if target is None:
        return out
    wrapped = nw.from_native(out, eager_only=True)
    if target in wrapped.columns:
        raise DataError(
            f"The transform produced a column named {target!r}, the target's name; "
            "rename the target or that output."
        )
    column = nw.from_native(y, series_only=True)
    column = nw.new_series(
        target,
        column.to_numpy(),
        column.dtype,
        backend=nw.get_native_namespace(wrapped),
    )
    return nw.to_native(wrapped.with_columns(column))


def _describe(estimator: Any) -> Report:
    """Class, parameters and fitted columns of an estimator or a pipeline."""
    from mlprep.core._json import json_safe
    from mlprep.core._registry import public_name

    report: Report = {"class": public_name(type(estimator))}
    steps = getattr(estimator, "steps", None)
    if steps is not None:
        report["steps"] = [{"name": name, **_describe(step)} for name, step in steps]
    else:
        report["params"] = json_safe(estimator.get_params(deep=False))
        if hasattr(estimator, "columns_"):
            report["columns"] = list(estimator.columns_)
        report["partial"] = hasattr(estimator, "partial_state_")
    if hasattr(estimator, "n_features_in_"):
        report["n_features_in"] = int(estimator.n_features_in_)
    if hasattr(estimator, "get_feature_names_out") and hasattr(
        estimator, "n_features_in_"
    ):
        report["features_out"] = [str(n) for n in estimator.get_feature_names_out()]
    return report


def _fit(
    args: argparse.Namespace,
    log: Log,
    *,
    prior: list[str] | None = None,
    partial: bool = False,
    stream: bool = False,
) -> tuple[Any, Any, Report]:
    """Fit ``args.spec`` on ``args.data``; the fitted pipeline, the data and a report.

    ``--state`` gives fitted leading steps (merged first when there are
    several partial states): the data goes through them and only the steps
    after them are fitted. ``--partial`` fits just the next step, with
    ``partial_fit``, so that shards' states merge. ``--stream`` fits from
    :func:`mlprep.io.scan` of the data, batch by batch, instead of reading it
    into memory (quantiles then come from KLL sketches).
    """
    from sklearn.pipeline import Pipeline

    from mlprep.spec import build_pipeline, load_spec

    spec = load_spec(args.spec)
    target = args.target or spec.target
    pipeline = build_pipeline(spec)
    prefix = _prefix(prior, pipeline, log)
    done = len(prefix.steps) if prefix is not None else 0
    if done == len(pipeline.steps):
        raise DataError(
            f"The states given with --state already hold all {done} steps of "
            f"{args.spec}: there is nothing left to fit. Transform with them."
        )
    todo = pipeline.steps[done : done + 1] if partial else pipeline.steps[done:]
    if stream:  # batches straight from the files: memory does not grow with rows
        from mlprep.io import scan

        data = None
        source = scan(args.data)
        X: Any = source
        y: Any = target
        if target is not None:
            _check_target(target, source.schema.names, args.data)
    else:
        data = read_data(args.data, log)
        X, y = _take_target(data, target, args.data)
    if prefix is not None:
        with log.stage(f"through the {done} fitted step(s):") as facts:
            X = prefix.transform(X)
            if not stream:
                facts["rows"], facts["columns"] = nw.from_native(
                    X, eager_only=True
                ).shape
    rest = Pipeline(todo)
    verb = ("partially fit" if partial else "fit") + (" (streamed)" if stream else "")
    with (
        log.stage(f"{verb} {len(todo)} step(s)" + ("" if stream else " on")) as facts,
        log.batches(
            f"{verb} {len(todo)} step(s)",
            lambda: source.count_rows() * len(todo),  # every step reads every row
        )
        if stream
        else nullcontext(),
    ):
        if partial:
            rest.steps[0][1].partial_fit(X, y)
        else:
            rest.fit(X, y)
        if not stream:
            facts["rows"] = nw.from_native(X, eager_only=True).shape[0]
    fitted = Pipeline([*(prefix.steps if prefix is not None else []), *rest.steps])
    report = {"spec": str(args.spec), "data": str(args.data), "target": target}
    report.update(
        rows=facts.get("rows"),
        steps_fitted=len(fitted.steps),
        steps_total=len(pipeline.steps),
        partial=partial,
    )
    return fitted, data, report


def _load_states(paths: list[str]) -> list[Any]:
    """The estimators saved at ``paths``; a folder gives its ``*.json`` files, sorted."""
    import mlprep

    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise DataError(f"No state file (*.json) in the folder {path}.")
            files.extend(found)
        else:
            files.append(path)
    return [mlprep.load(file) for file in files]


def _prefix(paths: list[str] | None, pipeline: Any, log: Log) -> Any:
    """The fitted leading steps given with ``--state``, checked against the spec."""
    if not paths:
        return None
    import mlprep
    from mlprep.core.persistence import dumps_params

    parts = _load_states(paths)
    with log.stage(
        f"merged {len(parts)} state(s)" if len(parts) > 1 else "loaded state"
    ):
        prefix = mlprep.merge(parts) if len(parts) > 1 else parts[0]
    steps = getattr(prefix, "steps", None)
    if steps is None or len(steps) > len(pipeline.steps):
        raise DataError(
            f"The state given with --state ({', '.join(map(str, paths))}) is not the "
            "first steps of this spec's pipeline."
        )
    for (name, step), (want, expected) in zip(steps, pipeline.steps):
        if name != want or dumps_params(step) != dumps_params(expected):
            raise DataError(
                f"Step {name!r} of the state given with --state differs from step "
                f"{want!r} of the spec (its class or parameters); fit it from the "
                "same spec."
            )
    return prefix


def _save(estimator: Any, path: str, log: Log) -> None:
    import mlprep

    with log.stage(f"saved {path}"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        mlprep.save(estimator, path)


# ------------------------------------------------------------------ commands
def fit(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    pipeline, _, report = _fit(
        args, log, prior=args.state, partial=args.partial, stream=args.stream
    )
    if report["steps_fitted"] < report["steps_total"]:
        log.line(
            f"{report['steps_fitted']} of {report['steps_total']} steps fitted; fit "
            "the next with --state (after merging the shards' states)"
        )
    _save(pipeline, args.out, log)
    return {**report, "state": str(args.out), "pipeline": _describe(pipeline)}, 0


def transform(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    import mlprep

    state = mlprep.load(args.state)
    data = read_data(args.data, log)
    X, y = _take_target(data, args.target, args.data)
    with log.stage("transformed") as facts:
        out = _with_target(state.transform(X), y, args.target)
        facts["rows"], facts["columns"] = nw.from_native(out, eager_only=True).shape
    _write(out, args.out, args.format, args.target, log)
    report = {"state": str(args.state), "data": str(args.data), "out": str(args.out)}
    return {**report, "rows": facts["rows"], "columns": facts["columns"]}, 0


def fit_transform(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    pipeline, data, report = _fit(args, log)
    _save(pipeline, args.state, log)
    X, y = _take_target(data, report["target"], args.data)
    with log.stage("transformed") as facts:
        out = _with_target(pipeline.transform(X), y, report["target"])
        facts["rows"], facts["columns"] = nw.from_native(out, eager_only=True).shape
    _write(out, args.out, args.format, report["target"], log)
    report.update(state=str(args.state), out=str(args.out), columns=facts["columns"])
    return report, 0


def merge(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    import mlprep

    parts = _load_states(args.states)
    with log.stage(f"merged {len(parts)} state(s)"):
        merged = mlprep.merge(parts)
    _save(merged, args.out, log)
    return {
        "states": [str(p) for p in args.states],
        "parts": len(parts),
        "out": str(args.out),
    }, 0


def inspect(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    import mlprep

    return {"state": str(args.state), **_describe(mlprep.load(args.state))}, 0


def split(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.split import train_val_test_split

    data = read_data(args.data, log)
    with log.stage(f"{args.method} split"):
        parts = train_val_test_split(
            data,
            ratios=tuple(args.ratios),
            method=args.method,
            stratify=args.stratify,
            order_by=args.order_by,
            key=args.key,
            seed=args.seed,
        )
    fmt = args.format or input_format(str(args.data))
    suffix = {"parquet": ".parquet", "csv": ".csv", "sagemaker-csv": ".csv"}[fmt]
    names = ("train", "validation", "test") if len(parts) == 3 else ("train", "test")
    folder = Path(args.out)
    written = {}
    for name, part in zip(names, parts):
        path = folder / f"{name}{suffix}"
        _write(
            part, str(path), fmt, args.stratify if fmt == "sagemaker-csv" else None, log
        )
        written[name] = {"path": str(path), "rows": len(part)}
    return {"data": str(args.data), "method": args.method, "parts": written}, 0


def check_leakage(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.split import check_leakage as check

    train = read_data(args.train, log)
    test = read_data(args.test, log)
    key = args.key[0] if args.key and len(args.key) == 1 else args.key
    with log.stage("checked leakage"):
        report = check(
            train, test, key=key, time=args.time, duplicates=not args.no_duplicates
        )
    return report.to_dict(), 0 if report.ok else 1


def schema(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.spec import spec_schema

    return spec_schema(), 0


def demo(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.cli._demo import demo as run_demo

    return run_demo(args, log)


COMMANDS: dict[str, Callable[[argparse.Namespace, Log], tuple[Report, int]]] = {
    "fit": fit,
    "transform": transform,
    "fit-transform": fit_transform,
    "merge": merge,
    "inspect": inspect,
    "split": split,
    "check-leakage": check_leakage,
    "schema": schema,
    "demo": demo,
}
