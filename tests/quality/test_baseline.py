"""Baseline: statistics equal to pandas', constraints, checks, merging, sources, SageMaker files."""

from __future__ import annotations

import json
import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlprep
from mlprep.exceptions import DataError
from mlprep.quality import Baseline, DriftReport

duckdb = pytest.importorskip("duckdb")


def _frame(rows: int = 2_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, rows)
    x[rng.random(rows) < 0.05] = np.nan
    city = rng.choice(np.array(["Oslo", "Lima", "Pune", "Kyiv"]), rows).astype(object)
    city[rng.random(rows) < 0.1] = None
    return pd.DataFrame(
        {
            "x": x,
            "n": rng.integers(0, 50, rows),
            "city": city,
            "id": [f"u{i}" for i in range(rows)],
        }
    )


# ------------------------------------------------------------------ statistics
def test_numeric_statistics_equal_pandas() -> None:
    X = _frame()
    stats = Baseline().fit(X).statistics_
    for name in ("x", "n"):
        column = X[name]
        found = stats[name]
        assert found["num_present"] == column.count()
        assert found["num_missing"] == column.isna().sum()
        assert found["mean"] == pytest.approx(column.mean(), rel=1e-12)
        assert found["sum"] == pytest.approx(column.sum(), rel=1e-12)
        assert found["std_dev"] == pytest.approx(column.std(ddof=0), rel=1e-12)
        assert found["min"] == column.min()
        assert found["max"] == column.max()
    assert stats["x"]["inferred_type"] == "Fractional"
    assert stats["n"]["inferred_type"] == "Integral"


def test_quantiles_exact_while_the_sketch_holds_every_value() -> None:
    X = pd.DataFrame({"x": np.arange(150.0)})
    found = Baseline().fit(X)
    assert found.quantile_method_ == "exact"
    expected = np.quantile(X["x"], [0.01, 0.25, 0.5, 0.99])
    quantiles = found.statistics_["x"]["quantiles"]
    got = [quantiles[q] for q in ("0.01", "0.25", "0.5", "0.99")]
    np.testing.assert_allclose(got, expected)


def test_in_memory_quantiles_are_exact_and_repeatable() -> None:
    values = np.random.default_rng(1).lognormal(size=50_000)
    X = pd.DataFrame({"v": values})
    first, second = Baseline().fit(X), Baseline().fit(X)
    assert first.quantile_method_ == "exact" and first.rank_error_ == 0
    assert first.statistics_ == second.statistics_
    assert first.statistics_["v"]["quantiles"]["0.5"] == np.median(values)


def test_batched_quantiles_within_rank_error_on_large_data() -> None:
    values = np.random.default_rng(1).lognormal(size=50_000)
    found = Baseline()
    for part in np.array_split(values, 5):
        found.partial_fit(pd.DataFrame({"v": part}))
    assert found.quantile_method_ == "kll"
    assert 0 < found.rank_error_ < 0.02
    median = found.statistics_["v"]["quantiles"]["0.5"]
    rank = np.mean(values <= median)
    assert abs(rank - 0.5) <= found.rank_error_


def test_string_statistics_equal_value_counts() -> None:
    X = _frame()
    stats = Baseline(top_k=3).fit(X).statistics_
    counts = X["city"].value_counts()
    assert stats["city"]["inferred_type"] == "String"
    assert stats["city"]["distinct_count"] == X["city"].nunique()
    assert stats["city"]["num_missing"] == X["city"].isna().sum()
    assert stats["city"]["top"] == [[k, int(v)] for k, v in counts.iloc[:3].items()]
    assert stats["id"]["distinct_count"] == len(X)


def test_distinct_count_estimated_beyond_the_exact_cap() -> None:
    from mlprep.state import CountsState

    baseline = Baseline(columns=["id"]).fit(pd.DataFrame({"id": np.arange(10)}))
    profile = baseline.partial_state_["id"]
    assert profile["values"].exact or profile["sketch"].count == 10
    # a String column beyond 100 000 distinct values: counts become a sketch
    many = pd.DataFrame({"s": [f"k{i}" for i in range(120_000)]})
    stats = Baseline().fit(many).statistics_["s"]
    assert not stats["distinct_exact"]
    assert stats["distinct_count"] == pytest.approx(120_000, rel=0.05)
    assert isinstance(CountsState(), CountsState)


# ----------------------------------------------------------------- constraints
def test_constraints_follow_the_documented_rules() -> None:
    X = _frame()
    constraints = Baseline(max_domain=5).fit(X).constraints_
    assert constraints["n"] == {
        "inferred_type": "Integral",
        "completeness": 1.0,
        "is_non_negative": True,
        "min": 0.0,
        "max": float(X["n"].max()),
    }
    assert constraints["city"]["domain"] == ["Kyiv", "Lima", "Oslo", "Pune"]
    assert constraints["id"]["domain"] is None  # too many values
    p = X["x"].notna().mean()
    low = p - 1.96 * math.sqrt(p * (1 - p) / len(X))
    assert constraints["x"]["completeness"] == math.floor(low * 100) / 100
    assert constraints["x"]["is_non_negative"] is False


# ----------------------------------------------------------------------- check
def test_identical_data_passes() -> None:
    X = _frame()
    baseline = Baseline().fit(X)
    report = baseline.check(X)
    assert report.ok, report.violations
    # KLL compaction is randomized: two sketches of the same numbers differ by
    # at most their rank errors in every bin share
    bound = 4 * max(p["sketch"].rank_error for p in baseline.partial_state_.values())
    assert report.drift["x"]["value"] <= bound and report.drift["n"]["value"] <= bound
    assert report.drift["city"]["value"] == report.drift["id"]["value"] == 0


@settings(max_examples=30, deadline=None)
@given(
    values=hnp.arrays(
        np.float64,
        st.integers(1, 60),
        elements=st.floats(-1e6, 1e6) | st.just(np.nan),
    ),
    labels=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=60),
)
def test_property_identical_data_has_no_violation(values, labels) -> None:
    X = pd.DataFrame({"v": values})
    Y = pd.DataFrame({"s": pd.Series(labels, dtype=object)})
    for frame in (X, Y):
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            report = Baseline().fit(frame).check(frame)
        assert report.ok, report.violations
        for found in report.drift.values():
            assert found["value"] == 0 or math.isnan(found["value"])


def test_each_check_fires() -> None:
    rng = np.random.default_rng(3)
    train = pd.DataFrame(
        {
            "age": rng.integers(18, 80, 500),
            "plan": rng.choice(["a", "b"], 500),
            "score": rng.normal(size=500),
            "gone": rng.normal(size=500),
        }
    )
    new = pd.DataFrame(
        {
            "age": np.r_[rng.integers(18, 80, 400).astype(float) + 0.5, [-3.0] * 100],
            "plan": rng.choice(["a", "b", "z"], 500),
            "score": np.where(rng.random(500) < 0.5, np.nan, rng.normal(5, 1, 500)),
            "extra": 1,
        }
    )
    report = Baseline().fit(train).check(new)
    found = {(v["column"], v["check"]) for v in report.violations}
    assert found == {
        ("gone", "missing_column_check"),
        ("extra", "extra_column_check"),
        ("age", "data_type_check"),
        ("age", "non_negative_check"),
        ("age", "baseline_drift_check"),
        ("plan", "categorical_values_check"),
        ("plan", "baseline_drift_check"),
        ("score", "completeness_check"),
        ("score", "baseline_drift_check"),
    }
    assert report.missing_columns == ["gone"] and report.new_columns == ["extra"]
    assert not report.ok
    for violation in report.violations:
        assert set(violation) == {
            "column",
            "check",
            "value",
            "threshold",
            "description",
        }


def test_text_in_a_numeric_column_is_a_type_violation() -> None:
    train = pd.DataFrame({"x": [1.0, 2.5, 3.0, 4.0]})
    new = pd.DataFrame({"x": pd.Series(["1", "oops", 3, 4.5], dtype=object)})
    report = Baseline().fit(train).check(new)
    checks = {v["check"]: v for v in report.violations}
    assert checks["data_type_check"]["value"] == pytest.approx(0.5)  # "1", "oops"
    assert report.drift["x"]["kind"] == "numeric"
    assert math.isnan(report.drift["x"]["value"])


def test_explicit_columns_report_no_extra_columns() -> None:
    X = _frame()
    report = Baseline(columns=["x"]).fit(X).check(X)
    assert report.ok and list(report.drift) == ["x"]


def test_bad_input_gives_results_not_crashes() -> None:
    X = pd.DataFrame(
        {
            "all_nan": [np.nan] * 4,
            "const": [7] * 4,
            "mixed": pd.Series([1, "a", 2.5, None], dtype=object),
        }
    )
    baseline = Baseline().fit(X)
    stats = baseline.statistics_
    assert stats["all_nan"]["num_missing"] == 4 and stats["all_nan"]["mean"] is None
    assert stats["const"]["std_dev"] == 0.0
    assert stats["mixed"]["inferred_type"] == "String"
    assert baseline.constraints_["all_nan"]["completeness"] == 0.0
    assert baseline.check(X).ok
    single = Baseline().fit(X.iloc[:1])
    assert single.n_rows_ == 1
    json.dumps(single.check(X).to_dict(), allow_nan=False)


def test_parameters_are_validated() -> None:
    with pytest.raises(
        mlprep.exceptions.InvalidParameterError, match="comparison_method"
    ):
        Baseline(comparison_method="chi2").fit(_frame())


# ------------------------------------------------------------------ the report
def test_drift_report_serializes_and_displays(tmp_path) -> None:
    train = _frame()
    report = Baseline().fit(train).check(_frame(seed=9).assign(x=lambda d: d.x + 5))
    assert isinstance(report, DriftReport)
    document = json.loads(report.to_json())
    assert document["ok"] is False and document["drift"]["x"]["drifted"] is True
    text = repr(report)
    assert text.startswith("DriftReport: ") and "x" in text and "YES" in text
    page = report._repr_html_()
    assert page.count("<table>") == 2 and "baseline_drift_check" in page
    path = report.write_sagemaker(tmp_path)
    written = json.loads(path.read_text())
    pairs = {
        (v["feature_name"], v["constraint_check_type"]) for v in written["violations"]
    }
    assert ("x", "baseline_drift_check") in pairs
    assert len(written["violations"]) == len(report.violations)
    assert all(
        set(v) == {"feature_name", "constraint_check_type", "description"}
        for v in written["violations"]
    )


# ------------------------------------------------------- merging and sources
def _stats_close(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        for key, value in a[name].items():
            if key == "quantiles":
                continue
            if isinstance(value, float):
                assert b[name][key] == pytest.approx(value, rel=1e-9), (name, key)
            else:
                assert b[name][key] == value, (name, key)


def test_partial_fit_and_merge_equal_one_fit() -> None:
    X = _frame()
    whole = Baseline().fit(X)
    batched = Baseline()
    for start in range(0, len(X), 300):
        batched.partial_fit(X.iloc[start : start + 300])
    _stats_close(whole.statistics_, batched.statistics_)
    shards = [Baseline().partial_fit(X.iloc[i::3]) for i in range(3)]
    merged = mlprep.merge(shards)
    _stats_close(whole.statistics_, merged.statistics_)
    assert merged.constraints_ == whole.constraints_


def test_batches_whose_dtype_changes_merge_to_the_general_type() -> None:
    baseline = Baseline()
    baseline.partial_fit(pd.DataFrame({"v": [1, 2, 3]}))
    baseline.partial_fit(pd.DataFrame({"v": [4.5, np.nan]}))
    assert baseline.statistics_["v"]["inferred_type"] == "Fractional"
    assert baseline.statistics_["v"]["num_missing"] == 1


@pytest.mark.parametrize("source", ["polars-lazy", "duckdb"])
def test_lazy_sources_equal_in_memory(tmp_path, source) -> None:
    X = _frame()
    X.to_parquet(tmp_path / "part.parquet")
    lazy = (
        pl.scan_parquet(tmp_path / "part.parquet")
        if source == "polars-lazy"
        else duckdb.sql(f"select * from '{tmp_path}/part.parquet'")
    )
    _stats_close(Baseline().fit(X).statistics_, Baseline().fit(lazy).statistics_)
    assert Baseline().fit(X).check(lazy).ok


def test_save_load_round_trip_keeps_checking(tmp_path) -> None:
    X = _frame()
    baseline = Baseline().fit(X)
    mlprep.save(baseline, tmp_path / "baseline.json")
    loaded = mlprep.load(tmp_path / "baseline.json")
    assert loaded.statistics_ == baseline.statistics_
    assert loaded.check(X).ok


def test_transform_passes_data_through_unchanged() -> None:
    X = _frame()
    out = Baseline().fit(X).transform(X)
    pd.testing.assert_frame_equal(out, X)


def test_spark_equals_in_memory(spark) -> None:
    import pyarrow as pa

    X = _frame(rows=600)
    table = pa.Table.from_pandas(X, preserve_index=False)
    rows = [tuple(r.values()) for r in table.to_pylist()]
    sdf = spark.createDataFrame(
        spark.sparkContext.parallelize(rows, 4),
        "x double, n long, city string, id string",
    )
    _stats_close(Baseline().fit(X).statistics_, Baseline().fit(sdf).statistics_)


# -------------------------------------------------------------- SageMaker files
def test_write_sagemaker_follows_model_monitor_schema(tmp_path) -> None:
    X = _frame()
    baseline = Baseline().fit(X)
    statistics_path, constraints_path = baseline.write_sagemaker(tmp_path / "out")
    statistics = json.loads(statistics_path.read_text())
    constraints = json.loads(constraints_path.read_text())
    assert statistics["version"] == 0
    assert statistics["dataset"]["item_count"] == len(X)
    by_name = {f["name"]: f for f in statistics["features"]}
    numeric = by_name["x"]["numerical_statistics"]
    assert numeric["common"] == {
        "num_present": int(X["x"].count()),
        "num_missing": int(X["x"].isna().sum()),
    }
    assert numeric["mean"] == pytest.approx(X["x"].mean())
    buckets = numeric["distribution"]["kll"]["buckets"]
    assert len(buckets) == 10
    assert buckets[0]["lower_bound"] == X["x"].min()
    assert buckets[-1]["upper_bound"] == X["x"].max()
    assert sum(b["count"] for b in buckets) == pytest.approx(X["x"].count(), abs=10)
    sketch = numeric["distribution"]["kll"]["sketch"]
    assert sketch["parameters"]["k"] == 200
    assert sum(len(level) for level in sketch["data"]) > 0
    strings = by_name["city"]["string_statistics"]
    assert strings["distinct_count"] == 4
    assert {b["value"] for b in strings["distribution"]["categorical"]["buckets"]} == {
        "Oslo",
        "Lima",
        "Pune",
        "Kyiv",
    }
    features = {f["name"]: f for f in constraints["features"]}
    assert features["n"]["num_constraints"] == {"is_non_negative": True}
    assert features["city"]["string_constraints"]["domains"] == [
        "Kyiv",
        "Lima",
        "Oslo",
        "Pune",
    ]
    config = constraints["monitoring_config"]
    assert config["distribution_constraints"]["comparison_threshold"] == 0.1
    assert config["distribution_constraints"]["categorical_drift_method"] == "LInfinity"
    leftovers = [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_unfitted_baseline_refuses_to_check() -> None:
    with pytest.raises(mlprep.exceptions.NotFittedError):
        Baseline().check(_frame())


def test_lazy_source_with_no_rows_is_a_data_error(tmp_path) -> None:
    empty = pl.DataFrame({"x": pl.Series([], dtype=pl.Float64)}).lazy()
    with pytest.raises(DataError, match="no rows"):
        Baseline().fit(empty)


def test_high_cardinality_drift_is_bounded_by_the_sketch_error() -> None:
    reference = pd.DataFrame({"s": [f"k{i % 150_000}" for i in range(300_000)]})
    current = pd.DataFrame({"s": [f"k{i % 150_000}" for i in range(0, 300_000, 2)]})
    found = Baseline().fit(reference).check(current).drift["s"]
    exact = 1 / 75_000 - 1 / 150_000  # every even key doubles its share
    assert 0 < found["error"] < 0.01
    assert abs(found["value"] - exact) <= found["error"]
    assert not found["drifted"]
