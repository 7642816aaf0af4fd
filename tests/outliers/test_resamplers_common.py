"""The checks test_common.py runs on transformers, for the resamplers.

OutlierRemover and Deduplicator are not transformers (no ``transform``), so
scikit-learn's ``parametrize_with_checks`` and test_common's CASES do not
apply; this module gives them the equivalent: clone, get/set_params, the
constraint table and its messages, pickle, save/load, no mutation, and the
same container out as in for pandas, polars, pyarrow and numpy.
"""

import copy
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import mlprep
from mlprep.core import lookup
from mlprep.exceptions import DataWarning, InvalidParameterError
from mlprep.outliers import Deduplicator, OutlierRemover
from mlprep.testing.strategies import BACKENDS, as_backend, targets


def resample_data() -> pd.DataFrame:
    """60 rows, three numeric columns with spikes, NaN and repeated rows."""
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(10, 0.5, 60),
            "age": rng.normal(40, 10, 60),
            "visits": rng.poisson(3, 60).astype(float),
        }
    )
    frame.loc[[4, 30], "income"] = [5e6, 1e7]
    frame.loc[[4, 7], "age"] = [300.0, -300.0]
    frame.loc[[12, 44], "age"] = np.nan
    frame.loc[50:54] = frame.loc[20:24].to_numpy()  # five duplicate rows
    return frame


RESAMPLERS = [
    OutlierRemover(),
    OutlierRemover(method="zscore", k=2.5, how="all", columns=[0, 1]),
    OutlierRemover(method="mad", columns=[1, 2]),
    OutlierRemover(method="quantile", quantiles=(0.02, 0.98)),
    Deduplicator(),
    Deduplicator(subset=[2], keep="last"),
    Deduplicator(keep=False),
]
IDS = [repr(r) for r in RESAMPLERS]


def _values(native) -> np.ndarray:
    if isinstance(native, np.ndarray):
        return native
    if isinstance(native, pd.DataFrame):
        return native.to_numpy()
    return native.to_pandas().to_numpy()


def _run(resampler, X, y=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return resampler.fit_resample(X, y)


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
def test_removes_something_on_the_check_data(resampler):
    X_out, _ = _run(clone(resampler), resample_data())
    assert 0 < len(X_out) < 60


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_same_container_out_as_in_and_same_rows(resampler, backend):
    data = resample_data()
    reference, _ = _run(clone(resampler), data)
    native = as_backend(data, backend)
    y = targets(len(data), "numpy")
    fitted = clone(resampler)
    X_out, y_out = _run(fitted, native, y)
    assert type(X_out) is type(native)
    np.testing.assert_array_equal(_values(X_out), reference.to_numpy())
    np.testing.assert_array_equal(y_out, np.flatnonzero(fitted.get_mask()))
    assert len(y_out) == len(X_out) == 60 - fitted.n_removed_
    if backend != "numpy":
        assert list(fitted.feature_names_in_) == list(data.columns)


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
@pytest.mark.parametrize("container", ["numpy", "list", "pandas", "polars", "pyarrow"])
def test_y_stays_aligned_in_its_own_container(resampler, container):
    data = resample_data()
    y = targets(len(data), container)
    X_out, y_out = _run(clone(resampler), data, y)
    assert type(y_out) is type(y)
    kept = list(y_out) if container != "pyarrow" else y_out.to_pylist()
    # targets are 0..n-1: each kept target names the row it belongs to
    np.testing.assert_array_equal(data.to_numpy()[kept], X_out.to_numpy())


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_input_never_mutated(resampler, backend):
    native = as_backend(resample_data(), backend)
    y = targets(60, "pandas")
    before, y_before = copy.deepcopy(native), y.copy()
    _run(clone(resampler), native, y)
    np.testing.assert_array_equal(_values(native), _values(before))
    pd.testing.assert_series_equal(y, y_before)


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
def test_clone_get_set_params_and_pickle(resampler):
    params = resampler.get_params()
    assert clone(resampler).get_params() == params
    other = clone(resampler).set_params(**params)
    assert other.get_params() == params
    fitted = clone(resampler)
    _run(fitted, resample_data())
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.removed_indices_.tolist() == fitted.removed_indices_.tolist()
    assert clone(fitted).get_params() == params
    assert not hasattr(clone(fitted), "n_removed_")


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
def test_parameter_constraints_cover_every_parameter(resampler):
    params = resampler.get_params(deep=False)
    assert set(type(resampler)._parameter_constraints) == set(params)
    for name in params:
        bad = clone(resampler).set_params(**{name: object()})
        with pytest.raises(
            InvalidParameterError,
            match=rf"The '{name}' parameter of {type(resampler).__name__} must be .* Got .* instead\.",
        ):
            bad.fit_resample(resample_data())


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
def test_save_load_round_trip(resampler, tmp_path):
    data = resample_data()
    fitted = clone(resampler)
    X_out, _ = _run(fitted, data)
    path = tmp_path / "resampler.json"
    mlprep.save(fitted, path)
    loaded = mlprep.load(path)
    assert type(loaded) is type(fitted)
    assert loaded.get_params() == fitted.get_params()
    assert loaded.n_removed_ == fitted.n_removed_
    np.testing.assert_array_equal(loaded.get_mask(), fitted.get_mask())
    if isinstance(fitted, OutlierRemover):
        assert loaded.bounds_ == fitted.bounds_
    again, _ = _run(loaded, data)
    pd.testing.assert_frame_equal(again, X_out)


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
def test_registered_exported_and_not_a_transformer(resampler):
    cls = type(resampler)
    assert lookup(f"mlprep.outliers.{cls.__name__}") is cls
    assert getattr(mlprep, cls.__name__) is cls and cls.__name__ in mlprep.__all__
    assert hasattr(resampler, "fit_resample") and not hasattr(resampler, "transform")
    assert not hasattr(resampler, "fit_transform")


@pytest.mark.parametrize("resampler", RESAMPLERS, ids=IDS)
def test_fit_records_the_same_as_fit_resample(resampler):
    data = resample_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        fitted = clone(resampler).fit(data)
    resampled = clone(resampler)
    _run(resampled, data)
    assert fitted.removed_indices_.tolist() == resampled.removed_indices_.tolist()
