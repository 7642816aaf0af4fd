"""train_val_test_split: the promises of every method, as properties and examples."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.split import train_val_test_split
from mlprep.split._base import allocate
from mlprep.testing.strategies import as_backend, split_frames, split_ratios

METHODS = {
    "random": {},
    "stratified": {"stratify": "label"},
    "ordered": {"order_by": "time"},
    "key": {"key": "key"},
    "stratified+key": {"stratify": "label", "key": "key"},
}


def _method(name: str) -> str:
    return "stratified" if name == "stratified+key" else name


def labels_of(frame: pd.DataFrame, ratios, name: str, seed: int = 0) -> np.ndarray:
    """The part of every row of ``frame`` (pandas with a RangeIndex), -1 for none."""
    parts = train_val_test_split(
        frame, ratios=ratios, method=_method(name), seed=seed, **METHODS[name]
    )
    labels = np.full(len(frame), -1)
    for k, part in enumerate(parts):
        labels[part.index.to_numpy()] = k
    return labels


def _split_or_skip(frame, ratios, name, seed=0):
    try:
        return labels_of(frame, ratios, name, seed)
    except DataError:
        assume(False)  # a legitimately empty part or too-small class
        raise


# ------------------------------------------------------------- properties
@pytest.mark.parametrize("name", list(METHODS))
@given(frame=split_frames(), ratios=split_ratios)
def test_parts_are_disjoint_and_cover_every_row(name, frame, ratios):
    labels = _split_or_skip(frame, ratios, name)
    assert (labels >= 0).all()  # every row in exactly one part (index labels unique)
    parts = train_val_test_split(
        frame, ratios=ratios, method=_method(name), **METHODS[name]
    )
    assert sum(len(p) for p in parts) == len(frame)
    assert len(set().union(*(set(p.index) for p in parts))) == len(frame)


@given(frame=split_frames(), ratios=split_ratios, seed=st.integers(0, 2**31))
def test_random_part_sizes_are_within_one_row_of_the_ratios(frame, ratios, seed):
    labels = labels_of(frame, ratios, "random", seed)
    counts = np.bincount(labels, minlength=len(ratios))
    assert np.all(np.abs(counts - len(frame) * np.asarray(ratios)) < 1)
    assert counts.tolist() == allocate(len(frame), ratios).tolist()


@given(frame=split_frames(min_rows=30), ratios=split_ratios, seed=st.integers(0, 2**31))
def test_stratified_class_shares_are_within_one_row(frame, ratios, seed):
    labels = _split_or_skip(frame, ratios, "stratified", seed)
    for cls, rows in frame.groupby("label").groups.items():
        counts = np.bincount(labels[np.asarray(rows)], minlength=len(ratios))
        exact = len(rows) * np.asarray(ratios)
        assert np.all(np.abs(counts - exact) < 1), (cls, counts, exact)
        assert np.all(counts >= 1)


@given(frame=split_frames(), ratios=split_ratios)
def test_ordered_parts_are_monotone_and_ties_never_straddle(frame, ratios):
    labels = _split_or_skip(frame, ratios, "ordered")
    time = frame["time"].to_numpy()
    for k in range(len(ratios) - 1):
        assert time[labels == k].max() < time[labels == k + 1].min()


@pytest.mark.parametrize("name", ["key", "stratified+key"])
@given(frame=split_frames(), ratios=split_ratios)
def test_keyed_parts_never_share_a_key(name, frame, ratios):
    labels = _split_or_skip(frame, ratios, name)
    keys = frame["key"].astype(object).where(frame["key"].notna(), "<NA>")
    assert (pd.Series(labels).groupby(keys.to_numpy()).nunique() == 1).all()


@given(
    frame=split_frames(),
    n_extra=st.integers(1, 60),
    ratios=split_ratios,
    seed=st.integers(0, 2**31),
)
def test_key_assignment_is_stable_when_rows_are_appended(frame, n_extra, ratios, seed):
    old_keys = (
        frame["key"].sample(n_extra, replace=True, random_state=seed % 1000).to_numpy()
    )
    if frame["key"].dtype == object:
        new_keys = np.array([f"new-{i}" for i in range(n_extra)], dtype=object)
    else:
        new_keys = np.arange(n_extra) + 10**6
    keys = np.where(np.arange(n_extra) % 2 == 0, old_keys, new_keys)
    extra = pd.DataFrame(
        {
            "key": pd.Series(keys, dtype=frame["key"].dtype),
            "label": 0,
            "time": 0,
            "x": 0.0,
        }
    )
    grown = pd.concat([frame, extra], ignore_index=True)
    before = _split_or_skip(frame, ratios, "key", seed)
    after = _split_or_skip(grown, ratios, "key", seed)
    np.testing.assert_array_equal(after[: len(frame)], before)


# ------------------------------------------------ determinism across processes
_CHILD = """
import json, sys
import numpy as np, pandas as pd
from mlprep.split import train_val_test_split
frame = pd.DataFrame(json.loads(sys.stdin.read())).reset_index(drop=True)
out = {}
for method, kw in [("random", {}), ("stratified", {"stratify": "label"}), ("key", {"key": "key"}),
                   ("key2", {"key": ["key", "label"]}), ("ordered", {"order_by": "time"})]:
    parts = train_val_test_split(frame, method=method.rstrip("2"), seed=7, **kw)
    out[method] = [p.index.tolist() for p in parts]
print(json.dumps(out))
"""


def _run_child(frame: pd.DataFrame, hash_seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=frame.to_json(orient="columns"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.slow
def test_splits_are_identical_across_processes_with_different_hash_seeds():
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "key": [f"cust-{i}-ü" for i in rng.integers(0, 120, n)],
            "label": rng.integers(0, 3, n),
            "time": rng.integers(0, 50, n),
        }
    )
    first, second = _run_child(frame, "1"), _run_child(frame, "987654")
    assert first == second
    local = {
        "key": [
            p.index.tolist()
            for p in train_val_test_split(frame, method="key", key="key", seed=7)
        ]
    }
    assert local["key"] == first["key"]


# ------------------------------------------------------------- containers
@pytest.mark.parametrize("name", list(METHODS))
def test_every_container_gets_the_same_split_back_in_its_own_type(name, backend):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "key": rng.integers(0, 60, 300),
            "label": rng.integers(0, 3, 300),
            "time": rng.integers(0, 100, 300),
            "x": np.arange(300.0),
        }
    )
    expected = labels_of(frame, (0.7, 0.2, 0.1), name)
    data = as_backend(frame, backend)
    kw = dict(METHODS[name])
    if backend == "numpy":
        kw = {k: list(frame.columns).index(v) for k, v in kw.items()}
    parts = train_val_test_split(data, method=_method(name), **kw)
    kinds = {
        "pandas": pd.DataFrame,
        "polars": pl.DataFrame,
        "pyarrow": pa.Table,
        "numpy": np.ndarray,
    }
    for k, part in enumerate(parts):
        assert isinstance(part, kinds[backend])
        x = np.asarray(
            pd.DataFrame(part.to_pandas() if backend == "pyarrow" else part).iloc[:, 3]
            if backend != "numpy"
            else part[:, 3],
            dtype=float,
        )
        np.testing.assert_array_equal(x, np.flatnonzero(expected == k).astype(float))


def test_y_is_split_in_step_and_keeps_its_type():
    frame = pd.DataFrame({"x": np.arange(50)}, index=np.arange(50) * 10)
    y = pd.Series(np.arange(50) % 2, index=frame.index, name="target")
    x_tr, x_va, x_te, y_tr, y_va, y_te = train_val_test_split(
        frame, y=y, method="stratified"
    )
    for xs, ys in [(x_tr, y_tr), (x_va, y_va), (x_te, y_te)]:
        assert isinstance(ys, pd.Series)
        assert xs.index.equals(ys.index)
    y_list = list(range(50))
    *_, l_tr, l_va, l_te = train_val_test_split(frame.to_numpy(), y=y_list, seed=3)
    assert isinstance(l_tr, list) and sorted(l_tr + l_va + l_te) == y_list
    y_pl = pl.Series("t", np.arange(50))
    *_, p_tr, p_te = train_val_test_split(
        pl.DataFrame({"x": np.arange(50)}), y=y_pl, ratios=(0.8, 0.2)
    )
    assert isinstance(p_tr, pl.Series) and len(p_tr) == 40 and len(p_te) == 10


def test_values_can_be_passed_instead_of_column_names():
    frame = pd.DataFrame({"x": np.arange(300)})
    keys = np.arange(300) % 100
    by_values = train_val_test_split(frame, method="key", key=keys)
    by_name = train_val_test_split(frame.assign(k=keys), method="key", key="k")
    for a, b in zip(by_values, by_name):
        assert a.index.equals(b.index)
    times = pd.date_range("2024-01-01", periods=300, freq="h")[::-1]
    train, test = train_val_test_split(
        frame, ratios=(0.5, 0.5), method="ordered", order_by=times
    )
    assert train.index.min() == 150 and test.index.max() == 149


def test_ordered_gap_leaves_out_rows_in_order_by_units():
    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=100, freq="D")})
    train, val, test = train_val_test_split(
        frame, method="ordered", order_by="day", gap=pd.Timedelta("3D")
    )
    assert len(train) == 70 and len(val) == 17 and len(test) == 7
    assert (val.day.min() - train.day.max()) > pd.Timedelta("3D")
    assert (test.day.min() - val.day.max()) > pd.Timedelta("3D")
    with pytest.raises(DataError, match="must be a timedelta"):
        train_val_test_split(frame, method="ordered", order_by="day", gap=3)


@pytest.mark.parametrize(
    "gap", [dt.timedelta(days=3), np.timedelta64(3, "D"), np.timedelta64(72, "h")]
)
def test_every_kind_of_timedelta_is_a_gap(gap):
    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=100, freq="D")})
    expected = train_val_test_split(
        frame, method="ordered", order_by="day", gap=pd.Timedelta("3D")
    )
    got = train_val_test_split(frame, method="ordered", order_by="day", gap=gap)
    for a, b in zip(expected, got):
        assert a.index.equals(b.index)
    with pytest.raises(InvalidParameterError, match="The 'gap' parameter"):
        train_val_test_split(frame, method="ordered", gap=-gap)


# ------------------------------------------------------------- errors
def test_bad_parameters_raise_sklearn_style_messages():
    frame = pd.DataFrame({"x": range(10)})
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'ratios' parameter of train_val_test_split must be a tuple of 2 or 3 floats .* Got \(0.5, 0.6\) instead.",
    ):
        train_val_test_split(frame, ratios=(0.5, 0.6))
    with pytest.raises(InvalidParameterError, match="The 'method' parameter"):
        train_val_test_split(frame, method="shuffle")
    with pytest.raises(
        InvalidParameterError, match="key= is not used by method='random'"
    ):
        train_val_test_split(frame, key="x")
    with pytest.raises(
        InvalidParameterError, match="gap= applies to method='ordered' only"
    ):
        train_val_test_split(frame, gap=2)
    with pytest.raises(InvalidParameterError, match="needs the classes"):
        train_val_test_split(frame, method="stratified")
    with pytest.raises(DataError, match="y has 3 entries but the data has 10 rows"):
        train_val_test_split(frame, y=[1, 2, 3])
    with pytest.raises(DataError, match="column 'nope' given as key="):
        train_val_test_split(frame, method="key", key="nope")


def test_too_few_rows_name_the_empty_part():
    with pytest.raises(
        DataError,
        match=r"leaves the test part empty \(2 rows; part sizes \[1, 1, 0\]\)",
    ):
        train_val_test_split(pd.DataFrame({"x": [1, 2]}))
