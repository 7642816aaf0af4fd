"""Spark DataFrames: partial states per partition on the executors, merged on the driver.

A local ``local[2]`` session (the ``spark`` fixture in tests/conftest.py) runs
the same code a cluster runs. Data is small (a few thousand rows at most, 4
partitions) so the module stays within a minute on two cores.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pyarrow as pa
import pytest
from sklearn.pipeline import make_pipeline

import mlprep
from mlprep.encode import (
    BinaryEncoder,
    CountEncoder,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from mlprep.exceptions import DataError, MissingDependencyError
from mlprep.impute import Imputer
from mlprep.outliers import OutlierHandler
from mlprep.scale import (
    Binner,
    LogTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    RootTransformer,
    StandardScaler,
)
from mlprep.state import MomentsState
from mlprep.state._spark import (
    _collect_states,
    _dumps_state,
    _loads_state,
    _map_in_arrow,
    _partition_state,
    _run,
    _ship,
    fit_spark,
)
from mlprep.text import CountVectorizer, TfidfVectorizer

pyspark = pytest.importorskip("pyspark")
pyspark_sql = pytest.importorskip("pyspark.sql")
pytest.importorskip("pyspark.sql.pandas.types")

# PySpark 3.5's own noise, gone in 4.x: LooseVersion in its version checks, and
# the loopback sockets of collect() that it leaves to the garbage collector.
pytestmark = (
    [
        pytest.mark.filterwarnings(
            "ignore:distutils Version classes are deprecated:DeprecationWarning"
        ),
        pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
        pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    ]
    if int(pyspark.__version__.split(".")[0]) < 4
    else []
)

PARTITIONS = 4
SCHEMA = "id long, x double, n long, pos double, city string, label long"


def _table(rows: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, rows)
    x[rng.random(rows) < 0.1] = np.nan
    city = rng.choice(np.array(["Oslo", "Lima", "Pune", "Kyiv"]), rows).astype(object)
    city[rng.random(rows) < 0.1] = None
    return pa.table(
        {
            "id": np.arange(rows, dtype=np.int64),
            "x": pa.array(x, from_pandas=True),  # NaN -> null, as Spark holds it
            "n": rng.integers(-50, 50, rows),
            "pos": rng.lognormal(0.0, 1.0, rows),
            "city": pa.array(city, pa.string()),
            "label": rng.integers(0, 2, rows),
        }
    )


def _spark_frame(spark: Any, table: pa.Table) -> Any:
    rows = [tuple(r.values()) for r in table.to_pylist()]
    return spark.createDataFrame(
        spark.sparkContext.parallelize(rows, PARTITIONS), SCHEMA
    )


@pytest.fixture(scope="module")
def small(spark: Any) -> tuple[pa.Table, Any]:
    """160 rows: every quantile sketch still holds every value (exact)."""
    table = _table(160, seed=0)
    return table, _spark_frame(spark, table)


@pytest.fixture(scope="module")
def large(spark: Any) -> tuple[pa.Table, Any]:
    """4000 rows: the merged quantile sketches estimate (rank error > 0)."""
    table = _table(4000, seed=1)
    return table, _spark_frame(spark, table)


def _fitted(estimator: Any) -> dict[str, Any]:
    skip = {"partial_state_", "quantile_method_", "rank_error_"}
    return {
        k: v
        for k, v in sorted(vars(estimator).items())
        if k.endswith("_") and not k.startswith("_") and k not in skip
    }


def _assert_same(got: Any, want: Any, where: str = "") -> None:
    """Equal, floats to 1e-12 relative (partition order changes the summation)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), where
        for key in want:
            _assert_same(got[key], want[key], f"{where}/{key}")
    elif isinstance(want, (list, tuple, np.ndarray)):
        assert len(got) == len(want), where
        for index, (g, w) in enumerate(zip(got, want)):
            _assert_same(g, w, f"{where}/{index}")
    elif isinstance(want, float) and not isinstance(want, bool):
        if math.isnan(want):
            assert isinstance(got, float) and math.isnan(got), where
        else:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), where
    else:
        assert got == want, where


EXACT = [
    pytest.param(lambda: StandardScaler(columns=["x", "n"]), id="StandardScaler"),
    pytest.param(lambda: MinMaxScaler(columns=["x", "n"]), id="MinMaxScaler"),
    pytest.param(lambda: MaxAbsScaler(columns=["x", "n"]), id="MaxAbsScaler"),
    pytest.param(lambda: Imputer(strategy="mean"), id="Imputer-mean"),
    pytest.param(lambda: Imputer(strategy="median"), id="Imputer-median"),
    pytest.param(
        lambda: Imputer(strategy="most_frequent", columns=["x", "city"]),
        id="Imputer-most_frequent",
    ),
    pytest.param(lambda: Imputer(strategy="constant"), id="Imputer-constant"),
    pytest.param(lambda: RobustScaler(columns=["x", "pos"]), id="RobustScaler"),
    pytest.param(
        lambda: Binner(strategy="quantile", columns=["x", "pos"]), id="Binner-quantile"
    ),
    pytest.param(lambda: PowerTransformer(columns=["x", "pos"]), id="PowerTransformer"),
    pytest.param(lambda: LogTransformer(columns=["pos"]), id="LogTransformer"),
    pytest.param(lambda: RootTransformer(columns=["pos"]), id="RootTransformer"),
    pytest.param(lambda: OutlierHandler(columns=["x", "pos"]), id="OutlierHandler"),
    pytest.param(lambda: OneHotEncoder(columns=["city"]), id="OneHotEncoder"),
    pytest.param(
        lambda: OrdinalEncoder(order="frequency", columns=["city"]),
        id="OrdinalEncoder-frequency",
    ),
    pytest.param(lambda: CountVectorizer(columns=["city"]), id="CountVectorizer"),
    pytest.param(lambda: TfidfVectorizer(columns=["city"]), id="TfidfVectorizer"),
]


@pytest.mark.parametrize("make", EXACT)
def test_fit_on_partitions_equals_the_eager_fit(small: Any, make: Any) -> None:
    table, sdf = small
    features = table.drop_columns(["label"])
    got = make().fit(sdf.drop("label"))
    want = make().fit(features)
    assert got.partial_state_ is not None
    assert list(got.feature_names_in_) == features.column_names
    _assert_same(_fitted(got), _fitted(want))
    if hasattr(got, "rank_error_"):  # the small data keeps every sketch exact
        assert got.rank_error_ == 0.0


APPEARANCE = [
    pytest.param(lambda: OrdinalEncoder(columns=["city"]), id="OrdinalEncoder"),
    pytest.param(lambda: BinaryEncoder(columns=["city"]), id="BinaryEncoder"),
    pytest.param(lambda: CountEncoder(columns=["city"]), id="CountEncoder"),
]


@pytest.mark.parametrize("make", APPEARANCE)
def test_appearance_order_is_that_of_merged_partitions(small: Any, make: Any) -> None:
    """Partitions have no common row order: as mlprep.merge of one fit per partition."""
    table, sdf = small
    features = table.drop_columns(["label"])
    size = table.num_rows // PARTITIONS  # parallelize's even slices
    parts = [features.slice(i * size, size) for i in range(PARTITIONS)]
    want = mlprep.merge([make().partial_fit(part) for part in parts])
    _assert_same(_fitted(make().fit(sdf.drop("label"))), _fitted(want))


def test_supervised_fit_takes_the_target_column(small: Any) -> None:
    table, sdf = small
    got = TargetEncoder(columns=["city"]).fit(sdf, y="label")
    features = table.drop_columns(["label"])
    want = TargetEncoder(columns=["city"]).fit(
        features, table.column("label").to_numpy()
    )
    assert "label" not in list(got.feature_names_in_)
    _assert_same(_fitted(got), _fitted(want))


def test_moments_in_spark_sql_equal_the_partition_states(small: Any) -> None:
    _, sdf = small
    pushed = StandardScaler(columns=["x", "n"]).fit(sdf)
    mapped = StandardScaler(columns=["x", "n"])
    mapped._moment_columns = lambda: None  # type: ignore[method-assign]
    mapped.fit(sdf)
    _assert_same(_fitted(pushed), _fitted(mapped))
    for name in ["x", "n"]:
        a, b = pushed.partial_state_[name], mapped.partial_state_[name]
        assert (a.count, a.missing, a.minimum, a.maximum) == (
            b.count,
            b.missing,
            b.minimum,
            b.maximum,
        )
        assert a.m2 == pytest.approx(b.m2, rel=1e-12)


def _assert_rank(values: np.ndarray, quantile: float, q: float, error: float) -> None:
    """``quantile`` is a ``q``-quantile of ``values`` to within ``error`` in rank."""
    values = np.sort(values[~np.isnan(values)])
    below = np.searchsorted(values, quantile, side="left") / values.size
    at_most = np.searchsorted(values, quantile, side="right") / values.size
    assert below - error <= q <= at_most + error, (below, at_most, q, error)


def test_sketch_quantiles_lie_within_their_rank_error(large: Any) -> None:
    table, sdf = large
    imputer = Imputer(strategy="median", columns=["x", "pos"]).fit(sdf)
    robust = RobustScaler(columns=["x", "pos"]).fit(sdf)
    for fitted in (imputer, robust):
        assert fitted.quantile_method_ == "kll"
        assert 0.0 < fitted.rank_error_ < 0.05
    for name in ["x", "pos"]:
        values = table.column(name).to_numpy(zero_copy_only=False)
        _assert_rank(values, imputer.statistics_[name], 0.5, imputer.rank_error_)
        _assert_rank(values, robust.center_[name], 0.5, robust.rank_error_)
        assert imputer.n_observed_[name] == np.count_nonzero(~np.isnan(values))


def test_target_column_is_named_and_left_out_of_the_features(small: Any) -> None:
    table, sdf = small
    scaler = StandardScaler().fit(sdf, y="label")
    assert list(scaler.feature_names_in_) == ["id", "x", "n", "pos", "city"]
    assert scaler.columns_ == ["id", "x", "n", "pos"]
    want = StandardScaler().fit(table.drop_columns(["label"]))
    _assert_same(_fitted(scaler), _fitted(want))


def test_partial_fit_of_two_frames_equals_one_fit(small: Any) -> None:
    table, sdf = small
    scaler = StandardScaler(columns=["x", "pos"])
    scaler.partial_fit(sdf.filter("id < 70")).partial_fit(sdf.filter("id >= 70"))
    want = StandardScaler(columns=["x", "pos"]).fit(table)
    _assert_same(_fitted(scaler), _fitted(want))
    assert scaler.partial_state_["x"].count == want.n_samples_seen_["x"]


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return sorted(table.to_pylist(), key=lambda row: row["id"])


def _assert_rows_equal(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert list(g) == list(w)
        for key, value in w.items():
            if isinstance(value, float) and not math.isnan(value):
                assert g[key] == pytest.approx(value, rel=1e-12), key
            elif isinstance(value, float):
                assert g[key] is None or math.isnan(g[key]), key
            else:
                assert g[key] == value, key


def test_transform_runs_on_the_executors_and_passes_other_columns(small: Any) -> None:
    table, sdf = small
    imputer = Imputer(strategy="mean", columns=["x", "n"], add_indicator=True)
    imputer.fit(sdf.select("x", "n"))
    out = imputer.transform(sdf.select("id", "x", "n", "city"))
    assert isinstance(out, pyspark_sql.DataFrame)
    assert out.columns == ["x", "n", "x_missing", "n_missing", "id", "city"]
    types = dict(out.dtypes)
    assert types["x"] == "double" and types["n"] == "double"
    assert types["x_missing"] == "boolean" and types["city"] == "string"
    eager = imputer.transform(table.select(["x", "n"]))
    want = eager.append_column("id", table.column("id")).append_column(
        "city", table.column("city")
    )
    got = [row.asDict() for row in out.collect()]
    _assert_rows_equal(sorted(got, key=lambda r: r["id"]), _rows(want))


def test_transform_of_an_in_memory_fit(small: Any) -> None:
    table, sdf = small
    encoder = OneHotEncoder(columns=["city"]).fit(table.select(["city", "n"]))
    eager = encoder.transform(table.select(["city", "n"]))
    encoder.set_output(transform="pandas")  # a Spark DataFrame stays one
    out = encoder.transform(sdf.select("city", "n", "id"))
    want = eager.append_column("id", table.column("id"))
    assert out.columns == want.column_names
    got = [row.asDict() for row in out.collect()]
    _assert_rows_equal(sorted(got, key=lambda r: r["id"]), _rows(want))


def test_a_pipeline_fits_and_transforms_a_spark_frame(small: Any) -> None:
    table, sdf = small

    def make() -> Any:
        return make_pipeline(
            Imputer(strategy="median", columns=["x"]), StandardScaler(columns=["x"])
        )

    pipeline = make().fit(sdf.select("id", "x"))
    eager = make().fit(table.select(["id", "x"]))
    for got, want in zip(pipeline.named_steps.values(), eager.named_steps.values()):
        _assert_same(_fitted(got), _fitted(want))
    out = pipeline.transform(sdf.select("id", "x"))
    want = eager.transform(table.select(["id", "x"]))
    got = [row.asDict() for row in out.collect()]
    _assert_rows_equal(sorted(got, key=lambda r: r["id"]), _rows(want))


def test_untouched_columns_keep_their_spark_type(spark: Any) -> None:
    linalg = pytest.importorskip("pyspark.ml.linalg")
    rows = [(1.0, linalg.Vectors.dense([1.0, 2.0])), (3.0, linalg.Vectors.dense([0.5]))]
    sdf = spark.createDataFrame(rows, ["x", "v"])
    scaler = StandardScaler(columns=["x"]).fit(pa.table({"x": [1.0, 3.0], "v": [0, 0]}))
    out = scaler.transform(sdf)
    assert out.schema["v"].dataType == sdf.schema["v"].dataType  # a VectorUDT
    assert [(r.x, r.v) for r in out.collect()] == [
        (-1.0, linalg.Vectors.dense([1.0, 2.0])),
        (1.0, linalg.Vectors.dense([0.5])),
    ]


def test_fit_transform_of_a_spark_frame(small: Any) -> None:
    table, sdf = small
    out = MinMaxScaler(columns=["pos"]).fit_transform(sdf.select("id", "pos"))
    values = [row["pos"] for row in out.collect()]
    assert min(values) == 0.0 and max(values) == 1.0
    assert len(values) == table.num_rows


# ------------------------------------------------------------------- errors
def test_missing_columns_are_named(small: Any) -> None:
    _, sdf = small
    with pytest.raises(DataError, match="nope"):
        StandardScaler(columns=["nope"]).fit(sdf)
    scaler = StandardScaler(columns=["x"]).fit(sdf.select("x", "n"))
    with pytest.raises(DataError, match="lacks the column 'n'"):
        scaler.transform(sdf.select("x"))


def test_target_must_be_a_column_name(small: Any) -> None:
    table, sdf = small
    labels = table.column("label").to_numpy()
    with pytest.raises(DataError, match="name of a column"):
        StandardScaler().fit(sdf, y=labels)
    with pytest.raises(DataError, match="'target' is not in the Spark DataFrame"):
        StandardScaler().fit(sdf, y="target")


def test_bad_values_on_an_executor_raise_the_mlprep_error(small: Any) -> None:
    _, sdf = small
    with pytest.raises(DataError, match="y has missing values"):
        TargetEncoder(columns=["city"]).fit(sdf.drop("label"), y="x")


def test_empty_frame_has_nothing_to_fit(small: Any) -> None:
    _, sdf = small
    with pytest.raises(DataError, match="has no rows"):
        StandardScaler().fit(sdf.filter("id < 0"))


def test_continuing_a_partial_fit_needs_the_same_columns(small: Any) -> None:
    _, sdf = small
    scaler = StandardScaler(columns=["x"]).partial_fit(sdf.select("x", "n"))
    with pytest.raises(DataError, match="partially fitted on the columns"):
        scaler.partial_fit(sdf.select("n", "x"))
    exact = Imputer(strategy="median").fit(np.array([[1.0], [2.0]]))
    with pytest.raises(DataError, match="no further batches"):
        exact.partial_fit(sdf.select("x"))


def test_transform_refusals(small: Any) -> None:
    table, sdf = small
    sparse = OneHotEncoder(columns=["city"], sparse_output=True).fit(
        table.select(["city"])
    )
    with pytest.raises(DataError, match=r"sparse matrix.*sparse_output=False"):
        sparse.transform(sdf.select("city"))
    vectorizer = CountVectorizer(columns=["city"]).fit(table.select(["city"]))
    with pytest.raises(DataError, match=r"sparse matrix.*in memory"):
        vectorizer.transform(sdf.select("city"))
    ordered = StandardScaler(columns=["x"]).fit(table.select(["x"]))
    ordered._batch_local = False  # as a time-series transformer declares
    with pytest.raises(DataError, match="earlier rows"):
        ordered.transform(sdf.select("x"))


def test_columns_arrow_cannot_carry_are_refused_by_name(spark: Any) -> None:
    sdf = spark.sql("select 1.5 as x, interval '1' year as gap")
    with pytest.raises(DataError, match=r"column 'gap'.*sdf.drop"):
        Imputer(strategy="most_frequent").fit(sdf)
    scaler = StandardScaler().fit(pa.table({"x": [1.0, 2.0]}))
    with pytest.raises(DataError, match="column 'gap'"):
        scaler.transform(sdf)


# --------------------------------------------- executor side, without Spark
def test_partition_state_is_one_json_row_per_partition() -> None:
    scaler = StandardScaler()
    empty = pa.table({"x": pa.array([], pa.float64())})
    scaler._start_schema(nw.from_native(empty, eager_only=True))
    batches = [
        pa.RecordBatch.from_pydict({"x": [1.0, 2.0]}),
        pa.RecordBatch.from_pydict({"x": pa.array([], pa.float64())}),
        pa.RecordBatch.from_pydict({"x": [3.0, None]}),
    ]
    (row,) = list(
        _partition_state(_ship(scaler, fitted=False), ["x"], None, iter(batches))
    )
    assert row.column("rows").to_pylist() == [4]
    states, rows = _collect_states(row.to_pylist())
    assert rows == 4
    assert states[0]["x"] == MomentsState.of(np.array([1.0, 2.0, 3.0, np.nan]))
    assert (
        list(_partition_state(_ship(scaler, fitted=False), ["x"], None, iter([]))) == []
    )


def test_an_executor_error_comes_back_as_the_mlprep_error() -> None:
    scaler = StandardScaler()
    scaler.columns_ = ["s"]  # as if selected: the executor meets text values
    scaler.n_features_in_ = 1
    scaler.feature_names_in_ = np.array(["s"], dtype=object)
    batch = pa.RecordBatch.from_pydict({"s": ["a", "b"]})
    (row,) = list(
        _partition_state(_ship(scaler, fitted=False), ["s"], None, iter([batch]))
    )
    assert row.column("error_kind").to_pylist() == ["DataError"]
    with pytest.raises(DataError, match="needs numeric columns"):
        _collect_states(row.to_pylist())


def test_states_round_trip_through_json() -> None:
    state = {"x": MomentsState.of(np.array([1.0, np.nan])), "fill": {"x": 0}}
    assert _loads_state(_dumps_state(state)) == state


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql.pandas.types", None)
    monkeypatch.delattr(sys.modules["pyspark.sql.pandas"], "types", raising=False)
    with pytest.raises(
        MissingDependencyError, match=r"pip install 'mlprep-kit\[spark\]'"
    ):
        fit_spark(StandardScaler(), object(), None, partial=False)


def test_pysparks_version_floor_for_arrow_names_the_upgrade() -> None:
    class OldEnvironment:
        def mapInArrow(self, func: Any, schema: Any) -> Any:
            raise ImportError(
                "Pandas >= 2.2.0 must be installed; however, 2.0.3 was found."
            )

    with pytest.raises(
        MissingDependencyError, match=r"Pandas >= 2\.2\.0.*pip install -U"
    ):
        _map_in_arrow(OldEnvironment(), None, "state string")


class _FailingJob:
    def __init__(self, message: str) -> None:
        self.message = message

    def collect(self) -> list[Any]:
        raise RuntimeError(self.message)


def test_executors_without_mlprep_get_an_install_hint() -> None:
    missing = _FailingJob(
        "PythonException: ModuleNotFoundError: No module named 'mlprep'"
    )
    with pytest.raises(MissingDependencyError, match="same mlprep version"):
        _run(missing)
    with pytest.raises(RuntimeError, match="executor lost"):
        _run(_FailingJob("executor lost"))
