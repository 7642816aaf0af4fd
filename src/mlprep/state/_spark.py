"""Spark DataFrames: partial states on the executors, merged on the driver.

Fitting a PySpark ``DataFrame`` runs one ``mapInArrow`` job: each partition
streams its Arrow record batches through ``_update_state`` of a copy of
the estimator and sends back one row, its partial state as JSON (the
format :mod:`mlprep.core.persistence` writes). The driver merges those rows
with :func:`mlprep.state.merge_states`, which is order-independent, so the
result does not depend on how Spark partitions or schedules the data.
A state that is nothing but float moments (``_moment_columns``) is left to
Spark's own aggregates instead (per-partition partial aggregation too),
which skips the Python workers altogether.
Transforming maps every record batch on the executors and returns a Spark
``DataFrame``: nothing is collected.

Only JSON text and column names travel to the executors (never a pickled
estimator with its state), so any executor with the same mlprep installed
can run the work: local mode in CI, a cluster unchanged. Works with Spark
3.5 and 4.x; only DataFrame methods that Spark Connect also has are used.
"""

from __future__ import annotations

import functools
import inspect
import json
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import narwhals.stable.v2 as nw

# Arrow is the language Spark's executors speak (mapInArrow); like
# mlprep.core._sources, this adapter converts at that door and nowhere else.
import pyarrow as pa

from mlprep import exceptions
from mlprep.core.persistence import _Decoder, _Encoder, dumps, loads
from mlprep.exceptions import DataError, MissingDependencyError, PersistenceError
from mlprep.state._engine import start_source_fit
from mlprep.state._merge import merge_states
from mlprep.state._moments import MomentsState

__all__ = ["fit_spark", "transform_spark"]

_SOURCE = "Spark DataFrame"
_STATE_SCHEMA = "rows long, state string, error_kind string, error string"
_INGEST_ATTRIBUTES = ("columns_", "n_features_in_", "feature_names_in_")
# scikit-learn's callback bookkeeping while a Pipeline fits (live objects)
_TRANSIENT = ("_parent_callback_ctx", "_skl_callbacks")
# PySpark 4 warns about pandas >= 3 whenever a pandas/Arrow UDF is declared;
# mlprep hands Spark Arrow batches only and never touches pandas there.
_PANDAS_WARNING = "PySpark does not yet fully support pandas"


def _pyspark() -> tuple[Any, Any]:
    """``(pyspark.sql.types, pyspark.sql.pandas.types)``, or a clear install hint."""
    try:
        from pyspark.sql import types
        from pyspark.sql.pandas import types as arrow_types
    except ImportError as exc:
        raise MissingDependencyError(
            "Fitting or transforming a Spark DataFrame needs PySpark 3.5 or newer. "
            "Install it with: pip install 'mlprep-kit[spark]'"
        ) from exc
    return types, arrow_types


def _conversion_errors() -> tuple[type[Exception], ...]:
    """What PySpark raises for a type it cannot convert between Spark and Arrow."""
    from pyspark.errors import PySparkException

    return (PySparkException, TypeError, ValueError, NotImplementedError)


def _timezone(sdf: Any) -> str | None:
    return sdf.sparkSession.conf.get("spark.sql.session.timeZone", None)


def _to_arrow(convert: Any, value: Any, timezone: str | None) -> Any:
    """Spark to Arrow: newer PySpark asks for the session time zone, 3.5 uses UTC."""
    if "timezone" in inspect.signature(convert).parameters:
        return convert(value, timezone=timezone or "UTC")
    return convert(value)


def _arrow_schema(sdf: Any) -> tuple[pa.Schema, list[str]]:
    """The Arrow schema of ``sdf``; columns Arrow cannot carry are null-typed and listed."""
    _, arrow_types = _pyspark()
    timezone = _timezone(sdf)
    fields, unsupported = [], []
    for field in sdf.schema.fields:
        try:
            arrow_type = _to_arrow(arrow_types.to_arrow_type, field.dataType, timezone)
        except _conversion_errors():
            arrow_type = pa.null()
            unsupported.append(field.name)
        fields.append(pa.field(field.name, arrow_type))
    return pa.schema(fields), unsupported


def _refuse_unsupported(columns: Iterable[str], unsupported: list[str]) -> None:
    bad = [c for c in columns if c in unsupported]
    if bad:
        raise DataError(
            f"The Spark column {bad[0]!r} has a type Arrow cannot carry to Python "
            "(such as a calendar interval), so it cannot be read on the executors. "
            f"Drop it or convert it first (sdf.drop({bad[0]!r}))."
        )


def _column(name: str) -> Any:
    from pyspark.sql import functions

    return functions.col("`" + name.replace("`", "``") + "`")


def _map_in_arrow(sdf: Any, func: Any, schema: Any) -> Any:
    """``sdf.mapInArrow``; PySpark's own version floor for it becomes an install hint."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=_PANDAS_WARNING, category=FutureWarning
        )
        try:
            return sdf.mapInArrow(func, schema)
        except ImportError as exc:
            raise MissingDependencyError(
                "PySpark runs mlprep on the executors through its Arrow functions "
                f"(mapInArrow), which refuse this environment: {exc} Upgrade the "
                "package it names, e.g. pip install -U pandas pyarrow."
            ) from exc


def _ship(estimator: Any, *, fitted: bool) -> str:
    """The estimator as JSON text for the executors (no partial state travels)."""
    if fitted:
        copy = object.__new__(type(estimator))
        copy.__dict__.update(
            (key, value)
            for key, value in vars(estimator).items()
            if key != "partial_state_" and not key.startswith(_TRANSIENT)
        )
    else:
        from sklearn.base import clone

        copy = clone(estimator)
        for name in _INGEST_ATTRIBUTES:
            if hasattr(estimator, name):
                setattr(copy, name, getattr(estimator, name))
    try:
        return dumps(copy)
    except PersistenceError as exc:
        raise DataError(
            f"{type(estimator).__name__} cannot be sent to the Spark executors: {exc}"
        ) from exc


def _dumps_state(state: Any) -> str:
    return json.dumps(_Encoder().encode(state), allow_nan=False)


def _loads_state(text: str) -> Any:
    return _Decoder().decode(json.loads(text))


def _state_row(rows: int, state: str | None, error: Exception | None) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict(
        {
            "rows": pa.array([rows], pa.int64()),
            "state": pa.array([state], pa.string()),
            "error_kind": pa.array(
                [type(error).__name__ if error else None], pa.string()
            ),
            "error": pa.array([str(error) if error else None], pa.string()),
        }
    )


def _partition_state(
    shipped: str,
    read: list[str],
    target: str | None,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """On an executor: one partition's batches into one partial state (one row).

    An mlprep error (bad values in this partition) comes back as a row, so the
    driver raises it as the same mlprep exception instead of a Spark one.
    """
    try:
        estimator = loads(shipped)
        state = estimator._new_state()
        rows = 0
        for batch in batches:
            if not batch.num_rows:
                continue
            frame = nw.from_native(pa.Table.from_batches([batch]), eager_only=True)
            y = frame[target].to_numpy() if target is not None else None
            state = estimator._update_state(state, frame.select(read), y)
            rows += batch.num_rows
        if rows:
            yield _state_row(rows, _dumps_state(state), None)
    except exceptions.MlprepError as exc:
        yield _state_row(0, None, exc)


def _collect_states(rows: Iterable[Any]) -> tuple[list[Any], int]:
    """The partial states and the number of rows behind them; executor errors re-raised."""
    states, count = [], 0
    for row in rows:
        if row["error"] is not None:
            kind = getattr(exceptions, str(row["error_kind"]), None)
            if not (
                isinstance(kind, type) and issubclass(kind, exceptions.MlprepError)
            ):
                kind = DataError
            raise kind(row["error"])
        states.append(_loads_state(row["state"]))
        count += int(row["rows"])
    return states, count


def _run(job: Any) -> list[Any]:
    """``collect()`` a job; an executor without mlprep gets an install hint."""
    try:
        return list(job.collect())
    except Exception as exc:
        if "No module named 'mlprep'" in str(exc):
            raise MissingDependencyError(
                "The Spark executors cannot import mlprep. Install the same mlprep "
                "version on every executor (e.g. in the cluster's Python "
                "environment, or with spark.archives / --py-files)."
            ) from exc
        raise


def _spark_moments(sdf: Any, columns: list[str]) -> tuple[int, dict[str, Any]]:
    """Rows and ``{column: MomentsState}`` from one Spark aggregation.

    Spark aggregates each partition on its executor and merges the partial
    aggregates (count, mean, central second moment, extremes), NaN counted as
    missing as everywhere in mlprep.
    """
    from pyspark.sql import functions

    aggregates = [functions.count(functions.lit(1)).alias("rows")]
    for i, name in enumerate(columns):
        x = _column(name).cast("double")
        x = functions.when(functions.isnan(x), functions.lit(None)).otherwise(x)
        aggregates += [
            functions.count(x).alias(f"c{i}"),
            functions.avg(x).alias(f"m{i}"),
            functions.var_pop(x).alias(f"v{i}"),
            functions.min(x).alias(f"lo{i}"),
            functions.max(x).alias(f"hi{i}"),
        ]
    (row,) = _run(sdf.agg(*aggregates))
    rows = int(row["rows"])
    nan = float("nan")
    states = {}
    for i, name in enumerate(columns):
        count = int(row[f"c{i}"])
        states[name] = MomentsState(
            count=count,
            missing=rows - count,
            mean=float(row[f"m{i}"]) if count else nan,
            m2=float(row[f"v{i}"]) * count if count else 0.0,
            minimum=float(row[f"lo{i}"]) if count else nan,
            maximum=float(row[f"hi{i}"]) if count else nan,
        )
    return rows, states


def fit_spark(estimator: Any, sdf: Any, y: Any, *, partial: bool) -> Any:
    """Fit (``partial=True``: continue fitting) ``estimator`` on a Spark DataFrame.

    The schema decides the columns on the driver; each partition's partial
    state is computed on the executors; the driver merges them (and into the
    estimator's own partial state when continuing) and sets the fitted
    attributes. ``y`` is the name of the target column, or None.
    """
    owner = type(estimator).__name__
    schema, unsupported = _arrow_schema(sdf)
    frame = nw.from_native(schema.empty_table(), eager_only=True)
    target, previous = start_source_fit(
        estimator, frame, y, partial=partial, source=_SOURCE
    )
    read = estimator._read_columns()
    wanted = read + ([target] if target is not None else [])
    _refuse_unsupported(wanted, unsupported)
    moment_columns = estimator._moment_columns()
    if moment_columns is not None:
        # algebraic statistics only: Spark's own aggregates, no Python worker
        rows, pushed = _spark_moments(sdf, moment_columns)
        states = [pushed] if rows else []
    else:
        task = functools.partial(
            _partition_state, _ship(estimator, fitted=False), read, target
        )
        columns = [_column(c) for c in wanted]
        job = _map_in_arrow(sdf.select(*columns), task, _STATE_SCHEMA)
        states, rows = _collect_states(_run(job))
    if rows == 0 and previous is None:
        raise DataError(f"The {_SOURCE} has no rows: {owner} has nothing to fit.")
    state = previous if previous is not None else estimator._new_state()
    for part in states:
        state = merge_states(state, part)
    estimator._adopt_state(state)
    return estimator


def _spark_friendly(arrow_type: pa.DataType) -> pa.DataType:
    """The Arrow type Spark reads for a transform's output column."""
    if pa.types.is_dictionary(arrow_type):
        return _spark_friendly(arrow_type.value_type)
    is_view = getattr(pa.types, "is_string_view", None)  # pyarrow >= 16
    if pa.types.is_large_string(arrow_type) or (is_view and is_view(arrow_type)):
        return pa.string()
    if pa.types.is_large_binary(arrow_type):
        return pa.binary()
    if pa.types.is_unsigned_integer(arrow_type):
        return {8: pa.int16(), 16: pa.int32()}.get(arrow_type.bit_width, pa.int64())
    if pa.types.is_float16(arrow_type):
        return pa.float32()
    return arrow_type


def _output_schema(
    sdf: Any, schema: pa.Schema, output: pa.Schema, extra: list[str], owner: str
) -> Any:
    """The Spark schema of the transformed frame: outputs, then pass-through columns.

    An output column that is an input column of the same Arrow type (one the
    transform left alone) keeps its Spark type: an ML vector stays a vector.
    """
    types, arrow_types = _pyspark()
    given = {f.name: f for f in sdf.schema.fields}
    fields = []
    for field in output:
        if field.name in given and schema.field(field.name).type == field.type:
            fields.append(given[field.name])
            continue
        try:
            spark_type = arrow_types.from_arrow_type(
                _spark_friendly(field.type), prefer_timestamp_ntz=True
            )
        except _conversion_errors() as exc:
            raise DataError(
                f"{owner} outputs the column {field.name!r} of Arrow type "
                f"{field.type}, which Spark cannot hold ({exc})."
            ) from exc
        fields.append(types.StructField(field.name, spark_type, nullable=True))
    return types.StructType(fields + [given[c] for c in extra])


def _transform_batches(
    shipped: str,
    features: list[str],
    extra: list[str],
    schema: pa.Schema,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """On an executor: transform each record batch; pass-through columns follow."""
    estimator = loads(shipped)
    for batch in batches:
        if not batch.num_rows:
            continue
        table = pa.Table.from_batches([batch])
        frame, _ = estimator._ingest(table.select(features), reset=False)
        result = estimator._transform(frame).to_arrow()
        for name in extra:
            result = result.append_column(name, table.column(name))
        yield from result.cast(schema).to_batches()


def transform_spark(estimator: Any, sdf: Any) -> Any:
    """``estimator.transform`` of a Spark DataFrame: a Spark DataFrame, run on the executors.

    Columns of ``sdf`` that the estimator was not fitted on (a label, an id)
    pass through after the transformed columns.
    """
    owner = type(estimator).__name__
    if not estimator._batch_local:
        raise DataError(
            f"{owner} computes each row from earlier rows, so its transform cannot "
            "run partition by partition on a Spark DataFrame. Transform the rows in "
            "order in memory instead (sdf.toPandas())."
        )
    schema, unsupported = _arrow_schema(sdf)
    features = estimator._input_names()
    missing = [c for c in features if c not in schema.names]
    if missing:
        raise DataError(
            f"The {_SOURCE} lacks the column {missing[0]!r} that {owner} was fitted on"
            + (f" (also: {missing[1:]})" if len(missing) > 1 else "")
            + "."
        )
    _refuse_unsupported(schema.names, unsupported)
    empty = nw.from_native(schema.empty_table().select(features), eager_only=True)
    empty_out = estimator._transform(estimator._ingest_schema(empty))
    if not isinstance(empty_out, nw.DataFrame):
        fix = (
            "Set sparse_output=False to transform a Spark DataFrame."
            if "sparse_output" in estimator.get_params(deep=False)
            else "Transform the rows in memory instead (sdf.toPandas())."
        )
        raise DataError(
            f"{owner} returns a sparse matrix, which a Spark DataFrame cannot "
            f"hold. {fix}"
        )
    output = empty_out.to_arrow().schema
    chosen = set(features)
    extra = [c for c in schema.names if c not in chosen]
    clash = [c for c in extra if c in output.names]
    if clash:
        raise DataError(
            f"The column {clash[0]!r} passes through untouched but is also an output "
            "of the transform. Rename or drop it before transforming."
        )
    spark_schema = _output_schema(sdf, schema, output, extra, owner)
    _, arrow_types = _pyspark()
    arrow_schema = _to_arrow(arrow_types.to_arrow_schema, spark_schema, _timezone(sdf))
    task = functools.partial(
        _transform_batches,
        _ship(estimator, fitted=True),
        features,
        extra,
        arrow_schema,
    )
    return _map_in_arrow(sdf, task, spark_schema)
