"""Drift distances: equal to scipy where scipy computes them, properties by Hypothesis."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp as _scipy_ks_2samp
from scipy.stats import wasserstein_distance

from mlprep.datasets import load_customers
from mlprep.exceptions import DataError, InvalidParameterError, MlprepError
from mlprep.quality._distances import (
    METHODS,
    PSI_FLOOR,
    THRESHOLDS,
    Distance,
    NumericSample,
    categorical_distance,
    histogram,
    numeric_distance,
    reference_edges,
)


def ks_2samp(a, b):
    """scipy's test; its p-value may warn about switching modes (the statistic is ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _scipy_ks_2samp(a, b)


# values on a coarse grid, so ties (the hard case for ECDFs) are common
values = st.lists(st.integers(-40, 40).map(lambda i: i / 4), min_size=1, max_size=60)
wide_values = st.lists(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
)
counts = st.dictionaries(
    st.sampled_from(list("abcdefg")), st.integers(0, 50), min_size=1
).filter(lambda d: sum(d.values()) > 0)


def _shares(sample: NumericSample, other: NumericSample, bins: int = 10):
    edges = reference_edges(sample, bins)
    return histogram(sample, edges), histogram(other, edges)


# ---------------------------------------------------------------- equivalence


@given(values, values)
def test_ks_equals_scipy(a, b):
    got = numeric_distance("ks", NumericSample.of(a), NumericSample.of(b))
    assert got.value == ks_2samp(a, b).statistic
    assert got.error == 0.0


@given(wide_values, wide_values)
def test_ks_equals_scipy_on_continuous_values(a, b):
    got = numeric_distance("ks", NumericSample.of(a), NumericSample.of(b)).value
    assert got == ks_2samp(a, b).statistic


@given(values, values)
def test_wasserstein_equals_scipy(a, b):
    got = numeric_distance("wasserstein", NumericSample.of(a), NumericSample.of(b))
    assert got.value == pytest.approx(wasserstein_distance(a, b), rel=1e-12, abs=1e-12)
    assert got.error == 0.0


@given(values, values)
def test_js_equals_scipy_jensenshannon_squared(a, b):
    ref, cur = NumericSample.of(a), NumericSample.of(b)
    r, c = _shares(ref, cur)
    got = numeric_distance("js", ref, cur).value
    assert got == pytest.approx(jensenshannon(r, c) ** 2, abs=1e-12)


@given(counts, counts)
def test_categorical_js_equals_scipy(r, c):
    keys = sorted(set(r) | set(c))
    p = np.array([r.get(k, 0) for k in keys], dtype=float)
    q = np.array([c.get(k, 0) for k in keys], dtype=float)
    got = categorical_distance("js", r, c).value
    assert got == pytest.approx(jensenshannon(p, q) ** 2, abs=1e-12)


@pytest.mark.parametrize(
    "column", ["age", "annual_income", "account_balance", "avg_basket_value"]
)
def test_ks_and_wasserstein_equal_scipy_on_real_data(column):
    df = load_customers()
    churned = df.loc[df["churned"] == 1, column].dropna().to_numpy()
    stayed = df.loc[df["churned"] == 0, column].dropna().to_numpy()
    ref, cur = NumericSample.of(stayed), NumericSample.of(churned)
    assert numeric_distance("ks", ref, cur).value == ks_2samp(stayed, churned).statistic
    assert numeric_distance("wasserstein", ref, cur).value == pytest.approx(
        wasserstein_distance(stayed, churned), rel=1e-12
    )


def test_ks_on_large_samples_matches_scipy_asymptotic_mode():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=20_000), rng.normal(0.05, size=30_000)
    got = numeric_distance("ks", NumericSample.of(a), NumericSample.of(b)).value
    assert got == pytest.approx(ks_2samp(a, b).statistic, rel=1e-12)


def test_psi_by_hand():
    # reference 1..8: quartile edges 2, 4, 6 -> bins (-inf,2], (2,4], (4,6], (6,inf]
    ref = NumericSample.of([1, 2, 3, 4, 5, 6, 7, 8])
    cur = NumericSample.of([1, 1, 1, 1, 3, 5, 7, 9])
    edges = reference_edges(ref, 4)
    np.testing.assert_array_equal(edges, [-np.inf, 2, 4, 6, np.inf])
    r, c = histogram(ref, edges), histogram(cur, edges)
    np.testing.assert_allclose(r, [0.25, 0.25, 0.25, 0.25])
    np.testing.assert_allclose(c, [0.5, 0.125, 0.125, 0.25])
    expected = (0.5 - 0.25) * math.log(2) + 2 * (0.125 - 0.25) * math.log(0.5)
    assert numeric_distance("psi", ref, cur, bins=4).value == pytest.approx(expected)
    assert numeric_distance("linf", ref, cur, bins=4).value == pytest.approx(0.25)


def test_psi_floors_empty_bins():
    ref = {"a": 10, "b": 10}
    cur = {"a": 20}
    expected = (1 - 0.5) * math.log(1 / 0.5) + (PSI_FLOOR - 0.5) * math.log(
        PSI_FLOOR / 0.5
    )
    got = categorical_distance("psi", ref, cur).value
    assert math.isfinite(got)
    assert got == pytest.approx(expected)


def test_categorical_ks_is_linf_and_wasserstein_is_total_variation():
    ref, cur = {"x": 6, "y": 3, "z": 1}, {"x": 2, "y": 2, "w": 6}
    # shares: ref x .6 y .3 z .1 w 0; cur x .2 y .2 z 0 w .6
    assert categorical_distance("linf", ref, cur).value == pytest.approx(0.6)
    assert categorical_distance("ks", ref, cur).value == pytest.approx(0.6)
    tvd = 0.5 * (0.4 + 0.1 + 0.1 + 0.6)
    assert categorical_distance("wasserstein", ref, cur).value == pytest.approx(tvd)


def test_psi_about_eight_times_js_for_small_shifts():
    # the documented reason for THRESHOLDS["js"] = PSI threshold / 8
    rng = np.random.default_rng(0)
    ref = NumericSample.of(rng.normal(size=50_000))
    cur = NumericSample.of(rng.normal(0.05, size=50_000))
    psi = numeric_distance("psi", ref, cur).value
    js = numeric_distance("js", ref, cur).value
    assert psi == pytest.approx(8 * js, rel=0.05)
    assert THRESHOLDS["js"] == pytest.approx(THRESHOLDS["psi"] / 8, rel=0.05)


def test_thresholds_cover_every_method():
    assert set(THRESHOLDS) == set(METHODS)
    assert math.isnan(THRESHOLDS["wasserstein"])
    assert THRESHOLDS["linf"] == 0.1


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("method", METHODS)
@given(a=values)
def test_identical_numeric_inputs_give_zero(method, a):
    sample = NumericSample.of(a)
    got = numeric_distance(method, sample, NumericSample.of(list(reversed(a))))
    assert got.value == 0.0


@pytest.mark.parametrize("method", METHODS)
@given(r=counts)
def test_identical_categorical_inputs_give_zero(method, r):
    assert categorical_distance(method, r, dict(r)).value == 0.0


@pytest.mark.parametrize("method", ["ks", "wasserstein"])
@given(a=values, b=values)
def test_numeric_symmetric(method, a, b):
    A, B = NumericSample.of(a), NumericSample.of(b)
    assert numeric_distance(method, A, B).value == pytest.approx(
        numeric_distance(method, B, A).value, abs=1e-12
    )


@pytest.mark.parametrize("method", METHODS)
@given(r=counts, c=counts)
def test_categorical_symmetric(method, r, c):
    assert categorical_distance(method, r, c).value == pytest.approx(
        categorical_distance(method, c, r).value, abs=1e-12
    )


def test_numeric_psi_depends_on_which_side_gives_the_bins():
    # documented: the bins are the reference's quantiles, so swapping changes them
    a = NumericSample.of(np.arange(100.0))
    b = NumericSample.of(np.concatenate([np.zeros(90), np.arange(10.0) * 50]))
    assert numeric_distance("psi", a, b).value != pytest.approx(
        numeric_distance("psi", b, a).value
    )


@pytest.mark.parametrize("method", METHODS)
@given(a=values, b=values)
def test_numeric_ranges(method, a, b):
    value = numeric_distance(method, NumericSample.of(a), NumericSample.of(b)).value
    assert value >= 0.0
    if method in ("ks", "linf"):
        assert value <= 1.0
    if method == "js":
        assert value <= math.log(2) + 1e-12


@pytest.mark.parametrize("method", METHODS)
@given(r=counts, c=counts)
def test_categorical_ranges(method, r, c):
    value = categorical_distance(method, r, c).value
    assert value >= 0.0
    if method in ("ks", "linf", "wasserstein"):
        assert value <= 1.0
    if method == "js":
        assert value <= math.log(2) + 1e-12


@given(a=values, bins=st.integers(2, 20))
def test_reference_edges_are_open_increasing_and_shares_sum_to_one(a, bins):
    sample = NumericSample.of(a)
    edges = reference_edges(sample, bins)
    assert edges[0] == -np.inf and edges[-1] == np.inf
    assert np.all(np.diff(edges) > 0)
    assert len(edges) <= bins + 1
    shares = histogram(sample, edges)
    assert shares.sum() == pytest.approx(1.0)
    assert np.all(shares >= 0)


def test_histogram_first_bin_includes_a_finite_left_edge():
    sample = NumericSample.of([0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(histogram(sample, [0.0, 1.0, 3.0]), [0.5, 0.5])


# ---------------------------------------------------------------- sketches


@pytest.fixture(scope="module")
def sketched():
    pytest.importorskip("datasketches")
    from mlprep.state import QuantileSketch

    rng = np.random.default_rng(42)
    a, b = rng.normal(size=200_000), rng.normal(0.1, size=200_000)
    sa, sb = QuantileSketch().update(a), QuantileSketch().update(b)
    return a, b, NumericSample.from_sketch(sa), NumericSample.from_sketch(sb)


@pytest.mark.parametrize("method", ["ks", "wasserstein"])
def test_sketch_distance_within_its_error_of_the_exact_one(sketched, method):
    a, b, sa, sb = sketched
    assert sa.rank_error > 0 and sb.rank_error > 0
    approx = numeric_distance(method, sa, sb)
    exact = numeric_distance(method, NumericSample.of(a), NumericSample.of(b))
    assert exact.error == 0.0
    assert 0 < approx.error < 1
    assert abs(approx.value - exact.value) <= approx.error


def test_sketch_ks_error_is_the_sum_of_rank_errors(sketched):
    _, _, sa, sb = sketched
    assert numeric_distance("ks", sa, sb).error == sa.rank_error + sb.rank_error


def test_sketch_wasserstein_error_uses_the_true_range(sketched):
    a, b, sa, sb = sketched
    assert sa.low == a.min() and sb.high == b.max()
    expected = sa.rank_error * (a.max() - a.min()) + sb.rank_error * (b.max() - b.min())
    assert numeric_distance("wasserstein", sa, sb).error == pytest.approx(expected)


@pytest.mark.parametrize("method", ["psi", "js", "linf"])
def test_sketch_binned_distances_have_no_bound_but_are_close(sketched, method):
    a, b, sa, sb = sketched
    approx = numeric_distance(method, sa, sb)
    exact = numeric_distance(method, NumericSample.of(a), NumericSample.of(b))
    assert math.isnan(approx.error)
    assert approx.value == pytest.approx(exact.value, abs=0.05)


def test_exact_sketch_is_the_raw_sample():
    pytest.importorskip("datasketches")
    from mlprep.state import QuantileSketch

    raw = [3.0, 1.0, 2.0, 2.0, np.nan]
    sample = NumericSample.from_sketch(QuantileSketch().update(np.array(raw)))
    assert sample.rank_error == 0.0 and sample.exact
    other = NumericSample.of([1.0, 5.0])
    for method in METHODS:
        assert numeric_distance(method, sample, other) == numeric_distance(
            method, NumericSample.of(raw), other
        )


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("method", METHODS)
def test_empty_inputs_give_nan_not_an_error(method):
    empty = NumericSample.of([np.nan])
    full = NumericSample.of([1.0, 2.0])
    for ref, cur in [(empty, full), (full, empty), (empty, empty)]:
        got = numeric_distance(method, ref, cur)
        assert math.isnan(got.value) and math.isnan(got.error)
    assert math.isnan(categorical_distance(method, {}, {"a": 1}).value)
    assert math.isnan(categorical_distance(method, {"a": 0}, {"a": 1}).value)


def test_nan_dropped_and_values_sorted():
    sample = NumericSample.of([2.0, np.nan, 1.0, 2.0])
    np.testing.assert_array_equal(sample.values, [1.0, 2.0])
    np.testing.assert_array_equal(sample.weights, [1.0, 2.0])
    assert sample.count == 3.0


def test_input_not_mutated():
    raw = np.array([3.0, np.nan, 1.0])
    NumericSample.of(raw)
    np.testing.assert_array_equal(raw, [3.0, np.nan, 1.0])
    ref = {"a": 1}
    categorical_distance("psi", ref, {"b": 2})
    assert ref == {"a": 1}


def test_unknown_method_and_bad_bins_are_parameter_errors():
    s = NumericSample.of([1.0])
    with pytest.raises(InvalidParameterError, match=r"'method'.*'psi'.*Got 'chi2'"):
        numeric_distance("chi2", s, s)
    with pytest.raises(InvalidParameterError, match="'method'"):
        categorical_distance("chi2", {"a": 1}, {"a": 1})
    with pytest.raises(InvalidParameterError, match=r"'bins'.*int >= 2\. Got 1"):
        numeric_distance("psi", s, s, bins=1)
    with pytest.raises(InvalidParameterError, match="'bins'"):
        reference_edges(s, True)


@pytest.mark.parametrize(
    ("values_", "weights", "match"),
    [
        ([2.0, 1.0], [1.0, 1.0], "sorted ascending"),
        ([1.0, np.nan], [1.0, 1.0], "NaN"),
        ([1.0, 2.0], [1.0, 0.0], "weights must be finite and > 0"),
        ([1.0, 2.0], [1.0], "same length"),
    ],
)
def test_malformed_samples_are_data_errors(values_, weights, match):
    with pytest.raises(DataError, match=match):
        NumericSample(np.array(values_), np.array(weights))


def test_bad_counts_and_edges_are_data_errors():
    with pytest.raises(DataError, match="count of 'a' is -1"):
        categorical_distance("psi", {"a": -1}, {"a": 1})
    with pytest.raises(DataError, match="dict"):
        categorical_distance("psi", [("a", 1)], {"a": 1})
    with pytest.raises(DataError, match="strictly increasing"):
        histogram(NumericSample.of([1.0]), [1.0, 1.0])
    assert issubclass(DataError, MlprepError)


def test_distance_is_a_frozen_record():
    d = Distance("ks", 0.5, 0.0)
    with pytest.raises(AttributeError):
        d.value = 1.0  # type: ignore[misc]
