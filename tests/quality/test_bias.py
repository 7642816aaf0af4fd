"""Pre-training bias metrics: Clarify's published definitions, by hand and by Hypothesis."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.exceptions import DataError, DataWarning, InvalidParameterError
from mlprep.quality._bias import pretraining_bias

METRICS = ("CI", "DPL", "KL", "JS", "LP", "TVD", "KS")


@pytest.fixture
def hiring():
    # facet d = F: 4 rows, 1 hired; facet a = M: 6 rows, 3 hired
    return pd.DataFrame(
        {
            "sex": ["F"] * 4 + ["M"] * 6,
            "hired": [1, 0, 0, 0, 1, 1, 1, 0, 0, 0],
            "dept": ["A", "A", "B", "B", "A", "A", "B", "B", "A", "A"],
        }
    )


# ---------------------------------------------------------------- by hand


def test_binary_label_by_hand(hiring):
    r = pretraining_bias(hiring, label="hired", facet="sex", facet_value="F")
    assert (r["n_a"], r["n_d"]) == (6, 4)
    assert r["CI"] == pytest.approx((6 - 4) / (6 + 4))  # 0.2
    assert r["DPL"] == pytest.approx(3 / 6 - 1 / 4)  # 0.25
    # label distributions over (0, 1): P_a = (1/2, 1/2), P_d = (3/4, 1/4)
    kl = 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)
    m = (0.625, 0.375)
    js = 0.5 * (
        0.5 * math.log(0.5 / m[0])
        + 0.5 * math.log(0.5 / m[1])
        + 0.75 * math.log(0.75 / m[0])
        + 0.25 * math.log(0.25 / m[1])
    )
    assert r["KL"] == pytest.approx(kl)
    assert r["JS"] == pytest.approx(js)
    assert r["LP"] == pytest.approx(math.sqrt(0.25**2 + 0.25**2))
    assert r["TVD"] == pytest.approx(0.5 * (0.25 + 0.25))
    assert r["KS"] == pytest.approx(0.25)
    assert r["missing_facet"] == 0 and r["missing_label"] == 0
    assert r["reason"] is None
    assert r["facet_d"] == "sex == 'F'"
    assert "CDDL" not in r


def test_book_example_999_vs_1():
    df = pd.DataFrame({"facet": ["a"] * 999 + ["d"], "y": [1, 0] * 500})
    r = pretraining_bias(df, label="y", facet="facet", facet_value="d")
    assert (r["n_a"], r["n_d"]) == (999, 1)
    assert r["CI"] == pytest.approx(0.998)


def test_cddl_by_hand(hiring):
    # dept A: M,M hired + F hired | F, M, M rejected -> DD_A = 1/3 - 1/3 = 0
    #   (rows: F1 F0 M1 M1 M0 M0): rejected F0 M0 M0 -> d share 1/3;
    #   accepted F1 M1 M1 -> d share 1/3
    # dept B: rows F0 F0 M1 M0: rejected F0 F0 M0 -> 2/3; accepted M1 -> 0/1
    #   DD_B = 2/3 - 0 = 2/3
    # CDDL = (6 * 0 + 4 * 2/3) / 10
    r = pretraining_bias(
        hiring, label="hired", facet="sex", facet_value="F", group="dept"
    )
    assert r["CDDL"] == pytest.approx((6 * 0 + 4 * 2 / 3) / 10)


def test_simpson_example_from_the_docs():
    # docs/quality-bias.md: equal admission rates within each department
    parts = [
        ("F", "easy", 1, 8),
        ("F", "easy", 0, 2),
        ("F", "hard", 1, 6),
        ("F", "hard", 0, 24),
        ("M", "easy", 1, 48),
        ("M", "easy", 0, 12),
        ("M", "hard", 1, 2),
        ("M", "hard", 0, 8),
    ]
    df = pd.DataFrame(
        [(s, d, a) for s, d, a, n in parts for _ in range(n)],
        columns=["sex", "dept", "admitted"],
    )
    r = pretraining_bias(
        df, label="admitted", facet="sex", facet_value="F", group="dept"
    )
    assert (r["n_a"], r["n_d"]) == (70, 40)
    assert r["CI"] == pytest.approx(30 / 110)
    assert r["DPL"] == pytest.approx(50 / 70 - 14 / 40)
    p_a, p_d = np.array([20 / 70, 50 / 70]), np.array([26 / 40, 14 / 40])
    assert r["KL"] == pytest.approx(float(np.sum(p_a * np.log(p_a / p_d))))
    assert r["LP"] == pytest.approx(math.sqrt(2) * (50 / 70 - 14 / 40))
    # easy: 2/14 - 8/56 = 0; hard: 24/32 - 6/8 = 0
    assert r["CDDL"] == pytest.approx(0.0, abs=1e-15)
    assert round(r["JS"], 4) == 0.0682


def test_cddl_counts_a_group_without_accepted_rows_as_zero_term():
    # group B has no accepted row: its accepted share of d counts 0 (Clarify)
    df = pd.DataFrame(
        {
            "f": ["d", "a", "d", "a", "d"],
            "y": [1, 0, 0, 0, 0],
            "g": ["A", "A", "B", "B", "B"],
        }
    )
    # A: rejected {a} -> 0/1, accepted {d} -> 1/1: DD_A = -1
    # B: rejected {d, a, d} -> 2/3, accepted none -> 0: DD_B = 2/3
    r = pretraining_bias(df, label="y", facet="f", facet_value="d", group="g")
    assert r["CDDL"] == pytest.approx((2 * -1 + 3 * 2 / 3) / 5)


def test_multiclass_matches_smclarify():
    # expected values computed with smclarify 0.5 (pretraining.CI, DPL, KL, JS,
    # LP, TVD, KS, CDDL on this table, label passed whole, positive = 1)
    df = pd.DataFrame(
        {
            "f": list("xxxxxxyyyyyyyyzzzzzz"),
            "y": [0, 1, 2, 1, 0, 0, 1, 1, 2, 2, 0, 1, 1, 2, 0, 0, 1, 2, 2, 1],
            "g": list("ABABABABABABABABABAB"),
        }
    )
    r = pretraining_bias(df, label="y", facet="f", facet_value="x", group="g")
    expected = {
        "CI": 0.4,
        "DPL": 0.09523809523809523,
        "KL": 0.19833523205416506,
        "JS": 0.05009011379261108,
        "LP": 0.3563483225498992,
        "TVD": 0.2857142857142857,
        "KS": 0.2857142857142857,
        "CDDL": 0.11428571428571428,
    }
    for name, value in expected.items():
        assert r[name] == pytest.approx(value, abs=1e-12), name


def test_multiclass_by_hand_and_label_value_list():
    # a: labels (cat, cat, dog, bird); d: (cat, dog, dog, dog)
    df = pd.DataFrame(
        {
            "f": ["a"] * 4 + ["d"] * 4,
            "y": ["cat", "cat", "dog", "bird", "cat", "dog", "dog", "dog"],
        }
    )
    r = pretraining_bias(df, label="y", facet="f", facet_value="d", label_value="cat")
    # P over (bird, cat, dog): P_a = (1/4, 1/2, 1/4), P_d = (0, 1/4, 3/4)
    assert r["DPL"] == pytest.approx(2 / 4 - 1 / 4)
    assert r["KL"] == math.inf  # d has no bird, a has: KL(P_a || P_d) = inf
    diff = np.array([0.25, 0.25, -0.5])
    assert r["LP"] == pytest.approx(np.sqrt(np.sum(diff**2)))
    assert r["TVD"] == pytest.approx(0.5)
    assert r["KS"] == pytest.approx(0.5)
    assert math.isfinite(r["JS"])
    both = pretraining_bias(
        df, label="y", facet="f", facet_value="d", label_value=["cat", "bird"]
    )
    assert both["DPL"] == pytest.approx(3 / 4 - 1 / 4)
    assert both["label_value"] == ["cat", "bird"]


def test_continuous_label_uses_threshold_strictly():
    rng = np.random.default_rng(0)
    score = rng.normal(size=400).round(3)
    score[:4] = 0.5  # equal to the threshold: not positive
    df = pd.DataFrame({"score": score, "grp": np.where(np.arange(400) % 3, "a", "d")})
    r = pretraining_bias(df, label="score", facet="grp", facet_value="d", threshold=0.5)
    d = df["grp"] == "d"
    q_a = float((df.loc[~d, "score"] > 0.5).mean())
    q_d = float((df.loc[d, "score"] > 0.5).mean())
    assert r["DPL"] == pytest.approx(q_a - q_d)
    # the label distribution is (not positive, positive)
    assert r["TVD"] == pytest.approx(abs(q_a - q_d))
    assert r["threshold"] == 0.5 and r["label_value"] is None


def test_continuous_label_without_threshold_is_an_error_naming_it():
    df = pd.DataFrame({"income": np.linspace(0, 1, 100), "f": ["a", "d"] * 50})
    with pytest.raises(DataError, match=r"'income' is continuous.*threshold="):
        pretraining_bias(df, label="income", facet="f", facet_value="d")


def test_integer_label_with_few_classes_is_categorical():
    df = pd.DataFrame({"y": [0, 1, 2] * 4, "f": ["a", "d"] * 6})
    r = pretraining_bias(df, label="y", facet="f", facet_value="d")
    assert r["threshold"] is None and r["label_value"] == 1


def test_continuous_facet_uses_facet_value_as_threshold():
    age = np.arange(20, 80)
    df = pd.DataFrame({"age": age, "y": (age % 2 == 0).astype(int)})
    r = pretraining_bias(df, label="y", facet="age", facet_value=40)
    assert r["facet_d"] == "age > 40.0"
    assert r["n_d"] == int((age > 40).sum()) and r["n_a"] == int((age <= 40).sum())
    with pytest.raises(DataError, match=r"'age' is continuous.*facet_value="):
        pretraining_bias(df, label="y", facet="age")


def test_facet_value_none_gives_one_row_per_value_against_the_rest(hiring):
    rows = pretraining_bias(hiring, label="hired", facet="sex")
    assert [r["facet_value"] for r in rows] == ["F", "M"]
    f, m = rows
    assert f["CI"] == pytest.approx(-m["CI"])
    assert f["DPL"] == pytest.approx(-m["DPL"])
    assert f == pretraining_bias(hiring, label="hired", facet="sex", facet_value="F")


def test_facet_value_list_is_membership():
    df = pd.DataFrame({"f": ["x", "y", "z", "z"], "y": [1, 0, 1, 0]})
    r = pretraining_bias(df, label="y", facet="f", facet_value=["x", "y"])
    assert (r["n_a"], r["n_d"]) == (2, 2)
    assert r["facet_d"] == "f in ['x', 'y']"


# ---------------------------------------------------------------- missing, bad input


def test_missing_facet_is_counted_warned_and_left_out(hiring):
    df = hiring.copy()
    df.loc[0, "sex"] = None
    with pytest.warns(
        DataWarning, match=r"1 row\(s\) have no value in the facet column 'sex'"
    ):
        r = pretraining_bias(df, label="hired", facet="sex", facet_value="F")
    assert r["missing_facet"] == 1
    assert (r["n_a"], r["n_d"]) == (6, 3)


def test_missing_label_is_counted_warned_and_left_out(hiring):
    df = hiring.astype({"hired": float})
    df.loc[9, "hired"] = np.nan
    with pytest.warns(DataWarning, match="label column 'hired'"):
        r = pretraining_bias(df, label="hired", facet="sex", facet_value="F")
    assert r["missing_label"] == 1
    assert (r["n_a"], r["n_d"]) == (5, 4)


def test_nan_in_a_float_facet_counts_as_missing():
    df = pd.DataFrame({"f": [0.0, 1.0, np.nan, 1.0], "y": [1, 0, 1, 1]})
    with pytest.warns(DataWarning):
        r = pretraining_bias(df, label="y", facet="f", facet_value=1.0)
    assert r["missing_facet"] == 1 and r["n_a"] + r["n_d"] == 3


def test_facet_with_one_value_gives_nan_with_reason():
    df = pd.DataFrame({"f": ["d"] * 5, "y": [1, 0, 1, 0, 0]})
    r = pretraining_bias(df, label="y", facet="f", facet_value="d")
    assert r["CI"] == -1.0
    assert all(math.isnan(r[m]) for m in METRICS if m != "CI")
    assert "facet a (the other rows) has no rows" in r["reason"]


def test_label_with_one_class_gives_zero_distances_and_nan_cddl():
    df = pd.DataFrame({"f": ["a", "d", "a", "d"], "y": [1, 1, 1, 1], "g": list("ABAB")})
    r = pretraining_bias(df, label="y", facet="f", facet_value="d", group="g")
    for name in ("DPL", "KL", "JS", "LP", "TVD", "KS"):
        assert r[name] == 0.0
    assert math.isnan(r["CDDL"])
    assert "rejected" in r["reason"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"label": "nope", "facet": "sex"}, "label column 'nope' is not in the data"),
        ({"label": "hired", "facet": "nope"}, "facet column 'nope' is not in the data"),
        (
            {"label": "hired", "facet": "sex", "group": "nope"},
            "group column 'nope'",
        ),
        (
            {"label": "hired", "facet": "sex", "facet_value": 1},
            r"facet_value=1 \(int\) matches no value of column 'sex'.*\['F', 'M'\]",
        ),
        (
            {"label": "hired", "facet": "sex", "label_value": "yes"},
            r"label_value='yes' \(str\) matches no value of column 'hired'.*\[0, 1\]",
        ),
        (
            {"label": "dept", "facet": "sex", "threshold": 0.5},
            "threshold=0.5 needs a numeric label",
        ),
    ],
)
def test_bad_data_is_a_data_error_naming_the_column(hiring, kwargs, match):
    with pytest.raises(DataError, match=match):
        pretraining_bias(hiring, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"label": 3, "facet": "sex"}, "'label' parameter"),
        ({"label": "hired", "facet": "sex", "threshold": "high"}, "'threshold'"),
        ({"label": "hired", "facet": "sex", "threshold": math.nan}, "'threshold'"),
        ({"label": "hired", "facet": "sex", "facet_value": []}, "'facet_value'"),
        ({"label": "hired", "facet": "sex", "label_value": None}, "'label_value'"),
        ({"label": "hired", "facet": "sex", "as_frame": "yes"}, "'as_frame'"),
        ({"label": "hired", "facet": "hired"}, "must be different columns"),
    ],
)
def test_bad_parameters_are_parameter_errors(hiring, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        pretraining_bias(hiring, **kwargs)


def test_absent_values_of_the_right_type_warn(hiring):
    with pytest.warns(
        DataWarning, match="facet_value='X' does not occur in column 'sex'"
    ):
        r = pretraining_bias(hiring, label="hired", facet="sex", facet_value="X")
    assert r["n_d"] == 0 and r["CI"] == 1.0 and math.isnan(r["DPL"])
    assert "facet d has no rows" in r["reason"]
    with pytest.warns(
        DataWarning, match="label_value=5 does not occur in column 'hired'"
    ):
        r = pretraining_bias(
            hiring, label="hired", facet="sex", facet_value="F", label_value=5
        )
    assert r["DPL"] == 0.0


def test_arrays_are_refused_with_the_fix():
    with pytest.raises(DataError, match="needs a DataFrame with named columns"):
        pretraining_bias(np.zeros((3, 2)), label="a", facet="b")


def test_input_not_mutated(hiring):
    before = hiring.copy()
    pretraining_bias(hiring, label="hired", facet="sex", group="dept")
    pd.testing.assert_frame_equal(hiring, before)


# ---------------------------------------------------------------- containers and output


def _duckdb_relation(df: pd.DataFrame):
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    return connection.from_arrow(pa.Table.from_pandas(df))


@pytest.mark.parametrize("container", ["pandas", "polars", "pyarrow", "lazy", "duckdb"])
def test_every_container_gives_the_same_result(hiring, container):
    expected = pretraining_bias(hiring, label="hired", facet="sex", group="dept")
    data = {
        "pandas": lambda: hiring,
        "polars": lambda: pl.from_pandas(hiring),
        "pyarrow": lambda: pa.Table.from_pandas(hiring),
        "lazy": lambda: pl.from_pandas(hiring).lazy(),
        "duckdb": lambda: _duckdb_relation(hiring),
    }[container]()
    assert pretraining_bias(data, label="hired", facet="sex", group="dept") == expected


def test_spark_dataframe_is_aggregated_by_spark(spark, hiring):
    expected = pretraining_bias(hiring, label="hired", facet="sex", group="dept")
    rows = list(hiring.itertuples(index=False, name=None))
    sdf = spark.createDataFrame(
        spark.sparkContext.parallelize(rows, 3), "sex string, hired long, dept string"
    )
    assert pretraining_bias(sdf, label="hired", facet="sex", group="dept") == expected


def test_polars_null_facet_is_missing():
    df = pl.DataFrame({"f": ["a", None, "d"], "y": [1, 0, 0]})
    with pytest.warns(DataWarning):
        r = pretraining_bias(df, label="y", facet="f", facet_value="d")
    assert r["missing_facet"] == 1


def test_as_frame_and_json(hiring):
    table = pretraining_bias(
        hiring, label="hired", facet="sex", group="dept", as_frame=True
    )
    assert isinstance(table, pd.DataFrame)
    assert list(table["facet_value"]) == ["F", "M"]
    assert {"CI", "DPL", "CDDL", "missing_facet", "reason"} <= set(table.columns)
    rows = pretraining_bias(hiring, label="hired", facet="sex", group="dept")
    assert json.loads(json.dumps(rows)) == rows
    assert table["CI"].tolist() == [r["CI"] for r in rows]


def test_boolean_label_with_default_label_value():
    df = pd.DataFrame({"f": ["a", "a", "d", "d"], "y": [True, False, False, False]})
    r = pretraining_bias(df, label="y", facet="f", facet_value="d")
    assert r["DPL"] == pytest.approx(0.5)


# ---------------------------------------------------------------- properties

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["x", "y", "z"]),
        st.sampled_from([0, 1, 2]),
        st.sampled_from(["A", "B", "C"]),
    ),
    min_size=1,
    max_size=80,
)


def _frame(rows):
    return pd.DataFrame(rows, columns=["f", "y", "g"])


@pytest.mark.filterwarnings("ignore::mlprep.exceptions.DataWarning")
@given(rows_strategy)
def test_ranges(rows):
    df = _frame(rows)
    for r in pretraining_bias(df, label="y", facet="f", group="g"):
        assert -1 <= r["CI"] <= 1
        if r["n_a"] and r["n_d"]:
            assert -1 <= r["DPL"] <= 1
            assert 0 <= r["TVD"] <= 1 and 0 <= r["KS"] <= 1
            assert r["KL"] >= 0
            assert 0 <= r["JS"] <= math.log(2) + 1e-12
            assert 0 <= r["LP"] <= math.sqrt(2) + 1e-12
            assert r["KS"] <= r["TVD"] + 1e-12 <= r["LP"] * math.sqrt(3) + 2e-12
            if not math.isnan(r["CDDL"]):
                assert -1 - 1e-12 <= r["CDDL"] <= 1 + 1e-12


@pytest.mark.filterwarnings("ignore::mlprep.exceptions.DataWarning")
@given(rows_strategy)
def test_swapping_a_and_d_negates_ci_and_dpl(rows):
    df = _frame(rows)
    present = sorted(set(df["f"]))
    d = (
        pretraining_bias(df, label="y", facet="f", facet_value="x")
        if "x" in present
        else None
    )
    rest = [v for v in present if v != "x"]
    if d is None or not rest:
        return
    a = pretraining_bias(df, label="y", facet="f", facet_value=rest)
    assert a["CI"] == pytest.approx(-d["CI"])
    assert (a["n_a"], a["n_d"]) == (d["n_d"], d["n_a"])
    if d["n_a"] and d["n_d"]:
        assert a["DPL"] == pytest.approx(-d["DPL"])
        for name in ("JS", "LP", "TVD", "KS"):  # symmetric in a and d
            assert a[name] == pytest.approx(d[name])


@given(
    st.lists(st.sampled_from(["lo", "mid", "hi"]), min_size=1, max_size=20),
    st.integers(1, 4),
)
def test_identical_label_distributions_give_zero(labels, k):
    df = pd.DataFrame(
        {"f": ["a"] * len(labels) + ["d"] * (len(labels) * k), "y": labels + labels * k}
    )
    r = pretraining_bias(
        df, label="y", facet="f", facet_value="d", label_value=labels[0]
    )
    for name in ("DPL", "KL", "JS", "LP", "TVD", "KS"):
        assert r[name] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.filterwarnings("ignore::mlprep.exceptions.DataWarning")
@given(rows_strategy)
def test_matches_a_direct_implementation_of_the_definitions(rows):
    df = _frame(rows)
    if "x" not in set(df["f"]):
        return
    r = pretraining_bias(df, label="y", facet="f", facet_value="x", group="g")
    d = df["f"] == "x"
    n_d, n_a = int(d.sum()), int((~d).sum())
    assert r["CI"] == pytest.approx((n_a - n_d) / (n_a + n_d))
    if not n_a:
        return
    p_a = df.loc[~d, "y"].value_counts(normalize=True).reindex([0, 1, 2], fill_value=0)
    p_d = df.loc[d, "y"].value_counts(normalize=True).reindex([0, 1, 2], fill_value=0)
    assert r["DPL"] == pytest.approx(p_a[1] - p_d[1])
    assert r["TVD"] == pytest.approx(0.5 * (p_a - p_d).abs().sum())
    assert r["KS"] == pytest.approx((p_a - p_d).abs().max())
    assert r["LP"] == pytest.approx(float(np.sqrt(((p_a - p_d) ** 2).sum())))
    # CDDL, Clarify's loop over groups
    pos = df["y"] == 1
    if pos.all() or not pos.any():
        assert math.isnan(r["CDDL"])
        return
    total = 0.0
    for _, part in df.groupby("g"):
        dd, pp = part["f"] == "x", part["y"] == 1
        rejected = (~pp).sum()
        accepted = pp.sum()
        share_r = (dd & ~pp).sum() / rejected if rejected else 0.0
        share_a = (dd & pp).sum() / accepted if accepted else 0.0
        total += len(part) * (share_r - share_a)
    assert r["CDDL"] == pytest.approx(total / len(df))
