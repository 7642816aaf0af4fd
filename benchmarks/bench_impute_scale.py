"""Imputation and scaling benchmark: the PEERS.md impute and scaling workloads (N x 10 floats).

Rows: the numpy floor; median imputation (mlprep Imputer vs scikit-learn's
SimpleImputer, feature-engine's MeanMedianImputer, pandas, polars); Standard,
MinMax and MaxAbs ``transform`` on a fitted scaler (against the floor) and
``fit_transform`` (against scikit-learn, pandas, polars); RobustScaler
``fit_transform`` against scikit-learn and polars; PowerTransformer (Yeo-Johnson) ``fit``
against scikit-learn, with the largest absolute λ difference printed below
the table (``bench_lambda.py`` measures which λ is the true optimum). mlprep
gets pandas input, as a user would have, and (rows "polars in") the same
data as a polars frame, timed against polars expressions written by hand;
below the table, ``polars in / polars`` gives that ratio per scaler.

Targets (issue 2): Standard/MinMax/MaxAbs transform <= 2x the floor; (issue
16) standard and robust scaling on polars input <= 1.5x polars expressions; median
Imputer and RobustScaler >= 3x faster than scikit-learn; PowerTransformer fit
>= 10x faster than scikit-learn with the same λ (absolute difference <= 1e-6:
scikit-learn's Brent search stops ~1e-8 from the optimum, and a relative
difference means nothing near λ = 0).

k-NN and iterative imputation (issue 14): ``Imputer(strategy="knn")`` and
``Imputer(strategy="iterative")`` ``fit_transform``, and the iterative
``transform`` of a fitted imputer, against scikit-learn's ``KNNImputer`` and
``IterativeImputer`` on the same N x 10 floats with 10% NaN; target <= 1.1x
scikit-learn's time. k-NN compares every gappy row with every row, so it runs
at a smaller N than the others (``--only knn --n 20000``; iterative
``--only iterative --n 100000``).

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_impute_scale.py --out benchmarks/RESULTS.md
    /work/venv/bin/python benchmarks/bench_impute_scale.py --only knn --n 20000
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _harness import DATA, Task, frame, ratio_line, report, run

COLUMNS = [f"x{i}" for i in range(10)]
HERE = "bench_impute_scale"
SKLEARN_NAMES = {
    "standard": "StandardScaler",
    "minmax": "MinMaxScaler",
    "maxabs": "MaxAbsScaler",
}


def _polars(X: np.ndarray, *, nan_to_null: bool = False) -> Any:
    import polars as pl

    df = pl.from_numpy(X, schema=COLUMNS)
    return df.fill_nan(None) if nan_to_null else df


# ------------------------------------------------------------------ impute
def mlprep_median(X: np.ndarray) -> Callable[[], Any]:
    from mlprep.impute import Imputer

    df = frame(X)
    return lambda: Imputer(strategy="median").fit_transform(df)


def sklearn_median(X: np.ndarray) -> Callable[[], Any]:
    from sklearn.impute import SimpleImputer

    return lambda: SimpleImputer(strategy="median").fit_transform(X)


def fe_median(X: np.ndarray) -> Callable[[], Any]:
    from feature_engine.imputation import MeanMedianImputer

    df = frame(X)
    return lambda: MeanMedianImputer(imputation_method="median").fit_transform(df)


def pandas_median(X: np.ndarray) -> Callable[[], Any]:
    df = frame(X)
    return lambda: df.fillna(df.median())


def polars_median(X: np.ndarray) -> Callable[[], Any]:
    import polars as pl

    df = _polars(X, nan_to_null=True)
    return lambda: df.with_columns(
        [pl.col(c).fill_null(pl.col(c).median()) for c in COLUMNS]
    )


def mlprep_knn(X: np.ndarray) -> Callable[[], Any]:
    from mlprep.impute import Imputer

    df = frame(X)
    return lambda: Imputer(strategy="knn").fit_transform(df)


def sklearn_knn(X: np.ndarray) -> Callable[[], Any]:
    from sklearn.impute import KNNImputer

    return lambda: KNNImputer().fit_transform(X)


def _quiet() -> None:
    """Both iterative imputers warn when the 10 rounds do not settle: not timed noise."""
    from sklearn.exceptions import ConvergenceWarning

    from mlprep.exceptions import DataWarning

    warnings.simplefilter("ignore", DataWarning)
    warnings.simplefilter("ignore", ConvergenceWarning)


def mlprep_iterative(X: np.ndarray) -> Callable[[], Any]:
    from mlprep.impute import Imputer

    _quiet()
    df = frame(X)
    return lambda: Imputer(strategy="iterative").fit_transform(df)


def sklearn_iterative(X: np.ndarray) -> Callable[[], Any]:
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    _quiet()
    return lambda: IterativeImputer().fit_transform(X)


def mlprep_iterative_transform(X: np.ndarray) -> Callable[[], Any]:
    from mlprep.impute import Imputer

    _quiet()
    df = frame(X)
    fitted = Imputer(strategy="iterative").fit(df)
    return lambda: fitted.transform(df)


def sklearn_iterative_transform(X: np.ndarray) -> Callable[[], Any]:
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    _quiet()
    fitted = IterativeImputer().fit(X)
    return lambda: fitted.transform(X)


# ----------------------------------------------------------------- scaling
def _mlprep_class(name: str) -> Any:
    import mlprep.scale

    return getattr(mlprep.scale, name)


def _mlprep_transform(name: str) -> Callable[[np.ndarray], Callable[[], Any]]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        df = frame(X)
        fitted = _mlprep_class(name)().fit(df)
        return lambda: fitted.transform(df)

    return prepare


def _mlprep_fit_transform(name: str) -> Callable[[np.ndarray], Callable[[], Any]]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        df = frame(X)
        cls = _mlprep_class(name)
        return lambda: cls().fit_transform(df)

    return prepare


def _mlprep_polars(name: str) -> Callable[[np.ndarray], Callable[[], Any]]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        df = _polars(X)
        cls = _mlprep_class(name)
        return lambda: cls().fit_transform(df)

    return prepare


def _sklearn_fit_transform(name: str) -> Callable[[np.ndarray], Callable[[], Any]]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        import sklearn.preprocessing as skp

        cls = getattr(skp, name)
        return lambda: cls().fit_transform(X)

    return prepare


def _pandas(kind: str) -> Callable[[np.ndarray], Callable[[], Any]]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        df = frame(X)
        if kind == "standard":
            return lambda: (df - df.mean()) / df.std(ddof=0)
        if kind == "minmax":
            return lambda: (df - df.min()) / (df.max() - df.min())
        return lambda: df / df.abs().max()

    return prepare


def _polars_expr(kind: str) -> Callable[[np.ndarray], Callable[[], Any]]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        import polars as pl

        df = _polars(X)

        def expr(c: str) -> Any:
            col = pl.col(c)
            if kind == "standard":
                return (col - col.mean()) / col.std(ddof=0)
            if kind == "minmax":
                return (col - col.min()) / (col.max() - col.min())
            if kind == "robust":
                q1 = col.quantile(0.25, interpolation="linear")
                q3 = col.quantile(0.75, interpolation="linear")
                return (col - col.median()) / (q3 - q1)
            return col / col.abs().max()

        return lambda: df.select([expr(c) for c in COLUMNS])

    return prepare


mlprep_standard_transform = _mlprep_transform("StandardScaler")
mlprep_minmax_transform = _mlprep_transform("MinMaxScaler")
mlprep_maxabs_transform = _mlprep_transform("MaxAbsScaler")
mlprep_standard = _mlprep_fit_transform("StandardScaler")
mlprep_minmax = _mlprep_fit_transform("MinMaxScaler")
mlprep_maxabs = _mlprep_fit_transform("MaxAbsScaler")
mlprep_robust = _mlprep_fit_transform("RobustScaler")
(
    mlprep_standard_polars,
    mlprep_minmax_polars,
    mlprep_maxabs_polars,
    mlprep_robust_polars,
) = (
    _mlprep_polars(name)
    for name in ("StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler")
)
sklearn_standard = _sklearn_fit_transform("StandardScaler")
sklearn_minmax = _sklearn_fit_transform("MinMaxScaler")
sklearn_maxabs = _sklearn_fit_transform("MaxAbsScaler")
sklearn_robust = _sklearn_fit_transform("RobustScaler")
pandas_standard, pandas_minmax, pandas_maxabs = (
    _pandas(k) for k in ("standard", "minmax", "maxabs")
)
polars_standard, polars_minmax, polars_maxabs, polars_robust = (
    _polars_expr(k) for k in ("standard", "minmax", "maxabs", "robust")
)


def mlprep_power(X: np.ndarray) -> Callable[[], Any]:
    from mlprep.scale import PowerTransformer

    df = frame(X)
    return lambda: PowerTransformer(method="yeo-johnson").fit(df)


def sklearn_power(X: np.ndarray) -> Callable[[], Any]:
    from sklearn.preprocessing import PowerTransformer

    return lambda: PowerTransformer(method="yeo-johnson").fit(X)


def lambda_difference(n: int) -> float:
    """The largest absolute difference between mlprep's and scikit-learn's λ."""
    from sklearn.preprocessing import PowerTransformer as Theirs

    from mlprep.scale import PowerTransformer as Ours

    X = DATA["floats"](n)
    ours = Ours(method="yeo-johnson").fit(frame(X))
    theirs = Theirs(method="yeo-johnson").fit(X).lambdas_
    mine = np.array([ours.lambdas_[c] for c in COLUMNS])
    return float(np.max(np.abs(mine - theirs)))


# ------------------------------------------------------------------- tasks
def _scaling(kind: str) -> list[Task]:
    return [
        Task(
            "scaling",
            f"{kind} transform",
            "mlprep (pandas in, fitted)",
            "floats",
            f"{HERE}:mlprep_{kind}_transform",
        ),
        Task(
            "scaling",
            f"{kind} fit_transform",
            "mlprep (pandas in)",
            "floats",
            f"{HERE}:mlprep_{kind}",
        ),
        Task(
            "scaling",
            f"{kind} fit_transform",
            "mlprep (polars in)",
            "floats",
            f"{HERE}:mlprep_{kind}_polars",
        ),
        Task(
            "scaling",
            f"{kind} fit_transform",
            f"sklearn.{SKLEARN_NAMES[kind]}",
            "floats",
            f"{HERE}:sklearn_{kind}",
        ),
        Task(
            "scaling",
            f"{kind} fit_transform",
            "pandas",
            "floats",
            f"{HERE}:pandas_{kind}",
        ),
        Task(
            "scaling",
            f"{kind} fit_transform",
            "polars",
            "floats",
            f"{HERE}:polars_{kind}",
        ),
    ]


TASKS = [
    Task("floor", "(x-a)*b", "numpy floor", "floats", "_harness:floor"),
    Task(
        "impute",
        "median",
        "mlprep.Imputer (pandas in)",
        "floats_nan",
        f"{HERE}:mlprep_median",
    ),
    Task(
        "impute",
        "median",
        "sklearn.SimpleImputer",
        "floats_nan",
        f"{HERE}:sklearn_median",
    ),
    Task(
        "impute",
        "median",
        "feature_engine.MeanMedianImputer",
        "floats_nan",
        f"{HERE}:fe_median",
    ),
    Task(
        "impute",
        "median",
        "pandas.fillna(median)",
        "floats_nan",
        f"{HERE}:pandas_median",
    ),
    Task(
        "impute",
        "median",
        "polars.fill_null(median)",
        "floats_nan",
        f"{HERE}:polars_median",
    ),
    *_scaling("standard"),
    *_scaling("minmax"),
    *_scaling("maxabs"),
    Task(
        "scaling",
        "robust fit_transform",
        "mlprep (pandas in)",
        "floats",
        f"{HERE}:mlprep_robust",
    ),
    Task(
        "scaling",
        "robust fit_transform",
        "mlprep (polars in)",
        "floats",
        f"{HERE}:mlprep_robust_polars",
    ),
    Task(
        "scaling",
        "robust fit_transform",
        "sklearn.RobustScaler",
        "floats",
        f"{HERE}:sklearn_robust",
    ),
    Task(
        "scaling",
        "robust fit_transform",
        "polars",
        "floats",
        f"{HERE}:polars_robust",
    ),
    Task(
        "scaling",
        "power yeo-johnson fit",
        "mlprep (pandas in)",
        "floats",
        f"{HERE}:mlprep_power",
    ),
    Task(
        "scaling",
        "power yeo-johnson fit",
        "sklearn.PowerTransformer",
        "floats",
        f"{HERE}:sklearn_power",
    ),
]


MODEL_TASKS = [
    Task(
        "knn",
        "fit_transform",
        "mlprep.Imputer (pandas in)",
        "floats_nan",
        f"{HERE}:mlprep_knn",
    ),
    Task(
        "knn",
        "fit_transform",
        "sklearn.KNNImputer",
        "floats_nan",
        f"{HERE}:sklearn_knn",
    ),
    Task(
        "iterative",
        "fit_transform",
        "mlprep.Imputer (pandas in)",
        "floats_nan",
        f"{HERE}:mlprep_iterative",
    ),
    Task(
        "iterative",
        "fit_transform",
        "sklearn.IterativeImputer",
        "floats_nan",
        f"{HERE}:sklearn_iterative",
    ),
    Task(
        "iterative",
        "transform",
        "mlprep.Imputer (pandas in, fitted)",
        "floats_nan",
        f"{HERE}:mlprep_iterative_transform",
    ),
    Task(
        "iterative",
        "transform",
        "sklearn.IterativeImputer (fitted)",
        "floats_nan",
        f"{HERE}:sklearn_iterative_transform",
    ),
]
"""Run apart from TASKS (``--only knn`` / ``--only iterative``): k-NN is quadratic in N."""


def main() -> None:
    """``python bench_impute_scale.py [--n N] [--repeats R] [--only W ...] [--out FILE]``."""
    parser = argparse.ArgumentParser(description="Imputation and scaling benchmark")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORKLOAD",
        choices=sorted({t.workload for t in TASKS + MODEL_TASKS}),
        help="run only these workloads (the floor too, for the ratios); knn and "
        "iterative run only when named here",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="append the table to this Markdown file"
    )
    args = parser.parse_args()
    if args.only:
        wanted = {"floor", *args.only}
        tasks = [t for t in TASKS + MODEL_TASKS if t.workload in wanted]
    else:
        tasks = TASKS
    rows = run(tasks, args.n, args.repeats)
    text = report(rows, title="Imputation and scaling", n=args.n)
    text += ratio_line(rows, ours="mlprep (polars in)", theirs="polars")
    if any(t.workload == "scaling" for t in tasks):
        print("  λ check: fitting both PowerTransformers once more...", file=sys.stderr)
        difference = lambda_difference(args.n)
        text += (
            f"\nPowerTransformer(yeo-johnson): largest absolute λ difference to "
            f"scikit-learn over the 10 columns: {difference:.1e} (target <= 1e-6).\n"
        )
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
