"""Balancer: counts equal to imbalanced-learn, frames kept, y aligned, clear errors."""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTE, SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.linear_model import LogisticRegression

import mlprep
from mlprep.balance import Balancer
from mlprep.exceptions import DataError, InvalidParameterError, MissingDependencyError
from mlprep.testing import check_resampler

# ------------------------------------------------------------------ data


def _wine_imbalanced() -> tuple[pd.DataFrame, np.ndarray]:
    """Wine with class 1 cut to 20 rows and class 2 to 9: three unequal classes."""
    data = load_wine(as_frame=True)
    X, y = data.data, data.target.to_numpy()
    keep = np.r_[
        np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:20], np.flatnonzero(y == 2)[:9]
    ]
    keep.sort()
    return X.iloc[keep].reset_index(drop=True), y[keep]


def _cancer_imbalanced() -> tuple[pd.DataFrame, np.ndarray]:
    """Breast cancer with the malignant class (0) cut to 40 rows."""
    data = load_breast_cancer(as_frame=True)
    X, y = data.data, data.target.to_numpy()
    keep = np.sort(np.r_[np.flatnonzero(y == 0)[:40], np.flatnonzero(y == 1)])
    return X.iloc[keep].reset_index(drop=True), y[keep]


def _mixed(n: int = 60) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(3)
    X = pd.DataFrame(
        {
            "amount": rng.normal(50, 10, n),
            "count": rng.integers(0, 20, n),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "shop": rng.choice(["north", "south"], n).astype(object),
            "member": rng.random(n) < 0.5,
        },
        index=np.arange(500, 500 + n),
    )
    y = np.r_[np.zeros(n - 15, dtype=int), np.ones(15, dtype=int)]
    return X, y


# ------------------------------------------------------- equal to imbalanced-learn

MULTI_OVER = ["auto", "minority", "not minority", "not majority", "all", {1: 50, 2: 30}]
MULTI_UNDER = [
    "auto",
    "majority",
    "not minority",
    "not majority",
    "all",
    {0: 25, 1: 15},
]


@pytest.mark.parametrize("strategy", MULTI_OVER, ids=str)
def test_random_over_counts_equal_imblearn(strategy) -> None:
    X, y = _wine_imbalanced()
    balancer = Balancer(method="random_over", sampling_strategy=strategy)
    X_res, y_res = balancer.fit_resample(X, y)
    reference = RandomOverSampler(sampling_strategy=strategy, random_state=0)
    _, y_ref = reference.fit_resample(X, y)
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())
    assert balancer.sampling_strategy_ == {
        int(k): int(v) for k, v in reference.sampling_strategy_.items()
    }
    assert balancer.n_added_ == len(y_res) - len(y) and balancer.n_removed_ == 0
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)  # originals first, in order


@pytest.mark.parametrize("strategy", MULTI_UNDER, ids=str)
def test_random_under_counts_equal_imblearn(strategy) -> None:
    X, y = _wine_imbalanced()
    balancer = Balancer(method="random_under", sampling_strategy=strategy, seed=5)
    X_res, y_res = balancer.fit_resample(X, y)
    reference = RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    _, y_ref = reference.fit_resample(X, y)
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())
    assert balancer.sampling_strategy_ == {
        int(k): int(v) for k, v in reference.sampling_strategy_.items()
    }
    kept = np.flatnonzero(balancer.get_mask())
    pd.testing.assert_frame_equal(X_res, X.iloc[kept])  # original order, index kept
    np.testing.assert_array_equal(y_res, y[kept])
    assert balancer.n_removed_ == len(y) - len(y_res) == len(balancer.removed_indices_)


@pytest.mark.parametrize("ratio", [0.3, 0.5, 1.0])
@pytest.mark.parametrize("method", ["random_over", "random_under", "smote"])
def test_float_ratio_on_binary_data_equals_imblearn(method: str, ratio: float) -> None:
    X, y = _cancer_imbalanced()
    reference = {
        "random_over": RandomOverSampler,
        "random_under": RandomUnderSampler,
        "smote": SMOTE,
    }[method](sampling_strategy=ratio, random_state=0)
    _, y_ref = reference.fit_resample(X, y)
    _, y_res = Balancer(method=method, sampling_strategy=ratio).fit_resample(X, y)
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())


def test_float_ratio_needs_binary_target() -> None:
    X, y = _wine_imbalanced()
    with pytest.raises(DataError, match="binary target; y has 3 classes"):
        Balancer(sampling_strategy=0.5).fit_resample(X, y)


def test_strategy_that_does_not_fit_the_method() -> None:
    X, y = _wine_imbalanced()
    with pytest.raises(InvalidParameterError, match="'majority' cannot be used"):
        Balancer(sampling_strategy="majority").fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'minority' cannot be used"):
        Balancer(method="random_under", sampling_strategy="minority").fit_resample(X, y)
    with pytest.raises(DataError, match="class 2, which has 9"):
        Balancer(sampling_strategy={2: 5}).fit_resample(X, y)
    with pytest.raises(DataError, match=r"class\(es\) \[7\]"):
        Balancer(sampling_strategy={7: 5}).fit_resample(X, y)


@pytest.mark.parametrize("strategy", ["auto", "all", {1: 40, 2: 40}], ids=str)
def test_smote_equals_imblearn_smote(strategy) -> None:
    X, y = _wine_imbalanced()
    balancer = Balancer(method="smote", sampling_strategy=strategy, seed=7)
    X_res, y_res = balancer.fit_resample(X, y)
    X_ref, y_ref = SMOTE(sampling_strategy=strategy, random_state=7).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)  # originals first, unchanged
    assert balancer.n_added_ == len(X_res) - len(X)
    reference = SMOTE(sampling_strategy=strategy, random_state=7).fit(X, y)
    assert balancer.sampling_strategy_ == {
        int(k): int(v) for k, v in reference.sampling_strategy_.items()
    }
    assert not [k for k in vars(balancer) if k.startswith("_")]  # no rows kept


def test_smotenc_chosen_for_categorical_columns_equals_imblearn() -> None:
    X, y = _mixed()
    X_res, y_res = Balancer(method="smote", seed=2).fit_resample(X, y)
    reference = SMOTENC(categorical_features=[2, 3, 4], random_state=2)
    X_ref, y_ref = reference.fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y_ref)
    assert list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    np.testing.assert_array_equal(X_res["amount"], X_ref["amount"].astype(float))
    np.testing.assert_array_equal(X_res["count"], X_ref["count"].astype(np.int64))
    for name in ["colour", "shop", "member"]:
        assert X_res[name].tolist() == X_ref[name].tolist(), name
    assert X_res["colour"].cat.categories.tolist() == ["blue", "green", "red"]
    pd.testing.assert_frame_equal(X_res.iloc[:60], X.reset_index(drop=True))


# ------------------------------------------------------------ containers


@pytest.mark.parametrize("method", ["random_over", "random_under", "smote"])
@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow", "numpy"])
def test_containers_and_dtypes_kept(method: str, backend: str) -> None:
    X, y = _mixed()
    if backend == "numpy":
        X = X[["amount", "count"]]
    native = {
        "pandas": lambda: X,
        "polars": lambda: pl.from_pandas(X.reset_index(drop=True)),
        "pyarrow": lambda: pa.Table.from_pandas(X, preserve_index=False),
        "numpy": lambda: X.to_numpy(dtype=float),
    }[backend]()
    y_native = pl.Series(y) if backend == "polars" else y.tolist()
    X_res, y_res = Balancer(method=method).fit_resample(native, y_native)
    assert type(X_res) is type(native)
    assert type(y_res) is type(y_native)
    assert len(y_res) == X_res.shape[0] == (30 if method == "random_under" else 90)
    if backend == "polars":
        assert X_res.schema == native.schema
    if backend == "pyarrow":
        assert X_res.schema == native.schema
    if backend == "pandas":
        assert X_res.dtypes.tolist() == X.dtypes.tolist()


def test_random_over_keeps_index_labels_of_copied_rows() -> None:
    X, y = _mixed()
    y_series = pd.Series(y, index=X.index, name="target")
    X_res, y_res = Balancer(method="random_over", seed=4).fit_resample(X, y_series)
    assert X_res.index.tolist() == y_res.index.tolist()
    assert X_res.index[:60].tolist() == X.index.tolist()
    pd.testing.assert_frame_equal(X_res.iloc[60:], X.loc[X_res.index[60:]])
    assert (y_res.iloc[60:] == 1).all()


def test_smote_renumbers_pandas_rows() -> None:
    X, y = _mixed()
    y_series = pd.Series(y, index=X.index)
    X_res, y_res = Balancer(method="smote").fit_resample(X, y_series)
    assert X_res.index.tolist() == list(range(90)) == y_res.index.tolist()


def test_input_not_modified() -> None:
    X, y = _mixed()
    before, y_before = X.copy(), y.copy()
    Balancer(method="smote").fit_resample(X, y)
    pd.testing.assert_frame_equal(X, before)
    np.testing.assert_array_equal(y, y_before)


def test_string_labels() -> None:
    X, y = _mixed()
    labels = np.where(y == 1, "fraud", "ok")
    balancer = Balancer(method="smote", sampling_strategy={"fraud": 30})
    _, y_res = balancer.fit_resample(X, labels)
    assert Counter(y_res.tolist()) == {"ok": 45, "fraud": 30}
    assert balancer.class_counts_ == {"fraud": 15, "ok": 45}
    assert balancer.sampling_strategy_ == {"fraud": 15}


# ---------------------------------------------------------------- bad input


def test_single_class() -> None:
    with pytest.raises(DataError, match="single class"):
        Balancer().fit_resample(np.ones((5, 2)), [3] * 5)


def test_y_length_mismatch() -> None:
    with pytest.raises(DataError, match="y has 4 rows but X has 5"):
        Balancer().fit_resample(np.ones((5, 2)), [0, 1, 0, 1])


def test_y_required() -> None:
    with pytest.raises(DataError, match="fit_resample\\(X, y\\)"):
        Balancer().fit_resample(np.ones((5, 2)))


def test_smote_class_too_small_names_class_and_count() -> None:
    X = np.arange(40.0).reshape(20, 2)
    y = np.r_[np.zeros(17, dtype=int), np.ones(3, dtype=int)]
    with pytest.raises(DataError, match=r"class 1 has 3 row.*k_neighbors=2"):
        Balancer(method="smote").fit_resample(X, y)
    _, y_res = Balancer(method="smote", k_neighbors=2).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [17, 17]
    y[-2:] = 0
    with pytest.raises(DataError, match="class 1 has a single row"):
        Balancer(method="smote").fit_resample(X, y)


def test_smote_nan_names_the_column() -> None:
    X, y = _mixed()
    X = X.copy()
    X.loc[503, "amount"] = np.nan
    with pytest.raises(DataError, match="column 'amount' has missing values"):
        Balancer(method="smote").fit_resample(X, y)
    X_res, _ = Balancer(method="random_over").fit_resample(X, y)  # copies are fine
    assert X_res["amount"].isna().sum() >= 1


def test_smote_needs_a_numeric_column() -> None:
    X = pd.DataFrame({"a": list("xyxyxyxyxyxy")})
    with pytest.raises(DataError, match="at least one numeric column"):
        Balancer(method="smote", k_neighbors=1).fit_resample(X, [0] * 9 + [1] * 3)


def test_missing_imblearn_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "imblearn.over_sampling", None)
    X, y = _mixed()
    with pytest.raises(
        MissingDependencyError, match=r"pip install 'mlprep-kit\[balance\]'"
    ):
        Balancer(method="smote").fit_resample(X, y)
    X_res, _ = Balancer(method="random_over").fit_resample(X, y)  # numpy only
    assert len(X_res) == 90


def test_no_partial_fit_and_lazy_source_refused() -> None:
    assert not hasattr(Balancer(), "partial_fit")
    X, y = _mixed()
    lazy = pl.from_pandas(X[["amount", "count"]]).lazy()
    with pytest.raises(DataError, match="needs the rows in memory"):
        Balancer().fit(lazy, y)
    with pytest.raises(DataError, match="needs the rows in memory"):
        Balancer().fit_resample(lazy, y)


@pytest.mark.parametrize(
    "params",
    [
        {"method": "tomek"},
        {"sampling_strategy": "most"},
        {"sampling_strategy": 1.5},
        {"sampling_strategy": 0.0},
        {"seed": -1},
        {"k_neighbors": 0},
    ],
    ids=str,
)
def test_bad_parameters(params: dict) -> None:
    X, y = _mixed()
    with pytest.raises(InvalidParameterError):
        Balancer(**params).fit_resample(X, y)


# ------------------------------------------------------- pipeline, persistence


@pytest.mark.slow
@pytest.mark.parametrize("method", ["random_over", "random_under", "smote"])
def test_inside_imblearn_pipeline(method: str) -> None:
    X, y = _cancer_imbalanced()
    pipeline = Pipeline(
        [("bal", Balancer(method=method)), ("clf", LogisticRegression(max_iter=5000))]
    )
    pipeline.fit(X, y)
    assert pipeline.predict(X).shape == (len(X),)
    fitted = pipeline.named_steps["bal"]
    assert fitted.class_counts_ == {0: 40, 1: 357}
    assert pipeline.score(X, y) > 0.8


@pytest.mark.parametrize("method", ["random_over", "random_under", "smote"])
def test_save_load_round_trip(method: str, tmp_path) -> None:
    X, y = _mixed()
    balancer = Balancer(
        method=method,
        sampling_strategy={1: 30} if method != "random_under" else {0: 20},
        seed=3,
        k_neighbors=4,
    )
    X_res, y_res = balancer.fit_resample(X, y)
    path = tmp_path / "balancer.json"
    mlprep.save(balancer, path)
    loaded = mlprep.load(path)
    assert loaded.get_params() == balancer.get_params()
    for name in ["sampling_strategy_", "class_counts_", "n_added_", "n_removed_"]:
        assert getattr(loaded, name) == getattr(balancer, name)
    np.testing.assert_array_equal(loaded.removed_indices_, balancer.removed_indices_)
    X_again, y_again = loaded.fit_resample(X, y)
    pd.testing.assert_frame_equal(X_again, X_res)
    np.testing.assert_array_equal(y_again, y_res)


# ------------------------------------------------------------ conformance

_OVER_REASONS = {
    "check_resample_rows": "over-sampling adds rows (copies or synthetic), so the "
    "output is not a subset of X in increasing order",
    "check_resample_mask": "over-sampling removes no row; the output has more rows "
    "than get_mask() marks",
}
_NEEDS_Y = {
    "check_resample_containers": "Balancer needs y: the check's fit_resample(X) "
    "without y is refused (containers are tested in test_containers_and_dtypes_kept)",
}


@pytest.mark.parametrize(
    ("balancer", "expected"),
    [
        (Balancer(method="random_under"), _NEEDS_Y),
        (Balancer(method="random_over"), {**_NEEDS_Y, **_OVER_REASONS}),
        (Balancer(method="smote", k_neighbors=3), {**_NEEDS_Y, **_OVER_REASONS}),
    ],
    ids=["random_under", "random_over", "smote"],
)
def test_conformance(balancer: Balancer, expected: dict) -> None:
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=40),
            "b": rng.normal(size=40),
            "c": rng.integers(0, 9, 40),
        },
        index=np.arange(100, 140),
    )
    y = np.r_[np.zeros(30, dtype=int), np.ones(10, dtype=int)]
    results = check_resampler(balancer, X, y, expected_failures=expected)
    statuses = {r.check: r.status for r in results}
    for name in expected:
        assert statuses[name] == "xfailed"
    assert all(statuses[n] == "passed" for n in statuses if n not in expected)


# --------------------------------------------------------------- properties


@st.composite
def _labelled(draw):
    n_classes = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(6, 25), min_size=n_classes, max_size=n_classes))
    y = np.repeat(np.arange(n_classes), sizes)
    order = np.random.default_rng(draw(st.integers(0, 99))).permutation(len(y))
    y = y[order]
    X = pd.DataFrame(
        {"label": y, "noise": np.random.default_rng(1).normal(size=len(y))}
    )
    return X, y


@settings(max_examples=30, deadline=None)
@given(
    data=_labelled(),
    method=st.sampled_from(["random_over", "random_under", "smote"]),
    strategy=st.sampled_from(["auto", "all", "not minority", "not majority"]),
    seed=st.integers(0, 1000),
)
def test_properties(data, method: str, strategy: str, seed: int) -> None:
    X, y = data
    X = X.astype({"label": float})
    balancer = Balancer(method=method, sampling_strategy=strategy, seed=seed)
    X_res, y_res = balancer.fit_resample(X, y)
    counts = Counter(y.tolist())
    wanted = dict(counts)
    for label, n in balancer.sampling_strategy_.items():
        wanted[label] = counts[label] + n if method != "random_under" else n
    assert Counter(y_res.tolist()) == wanted  # the requested counts
    target = max(counts.values()) if method != "random_under" else min(counts.values())
    for label in balancer.sampling_strategy_:
        assert wanted[label] == target
    # y stays aligned: the column equal to y still equals y (SMOTE interpolates
    # between rows of one class, so the label column stays constant within it)
    np.testing.assert_allclose(X_res["label"].to_numpy(), np.asarray(y_res, float))
    if method != "random_under":  # every original row kept, first, in order
        pd.testing.assert_frame_equal(X_res.iloc[: len(X)].reset_index(drop=True), X)


@pytest.mark.parametrize("method", ["random_over", "random_under", "smote"])
@pytest.mark.parametrize("container", ["numpy", "pandas", "polars", "pyarrow"])
def test_y_containers(method: str, container: str) -> None:
    X, y = _mixed()
    y_native = {
        "numpy": lambda: y,
        "pandas": lambda: pd.Series(y, index=X.index),
        "polars": lambda: pl.Series("y", y),
        "pyarrow": lambda: pa.chunked_array([y]),
    }[container]()
    X_res, y_res = Balancer(method=method).fit_resample(X, y_native)
    assert type(y_res) is type(y_native)
    labels = np.asarray(y_res)
    assert len(labels) == len(X_res)
    assert Counter(labels.tolist()) == (
        {0: 15, 1: 15} if method == "random_under" else {0: 45, 1: 45}
    )


def test_fit_decides_without_returning_rows() -> None:
    X, y = _mixed()
    balancer = Balancer(method="smote").fit(X, y)
    assert balancer.n_added_ == 30 and balancer.sampling_strategy_ == {1: 30}
    assert not [k for k in vars(balancer) if k.startswith("_")]


def test_doc_page_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "balance.md"
    code = "\n".join(re.findall(r"```python\n(.*?)```", page.read_text(), re.S))
    exec(compile(code, str(page), "exec"), {})
    printed = capsys.readouterr().out
    assert "{0: 90, 1: 90}" in printed and "{0: 90, 1: 45}" in printed
