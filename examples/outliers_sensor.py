"""Outliers in a sensor table: flag, then clip, then remove rows with y kept aligned.

Run:  pip install ".[balance]" && python examples/outliers_sensor.py

A day of one-minute readings from a pump (temperature, pressure, vibration)
with a few spikes from a glitching sensor, and a target (power draw). The
script learns fences on the training rows only, flags the outliers, clips
them, and finally drops the spiky rows inside an imbalanced-learn pipeline,
printing what each step changed. scikit-learn's Pipeline cannot drop rows;
imbalanced-learn's can, and the ``balance`` extra installs it
(``pip install "mlprep-kit[balance]"``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error

from mlprep.outliers import Deduplicator, OutlierHandler, OutlierRemover

try:
    from imblearn.pipeline import Pipeline
except ImportError:
    raise SystemExit(
        "examples/outliers_sensor.py drops rows inside imbalanced-learn's Pipeline: "
        "install it with the balance extra, pip install 'mlprep-kit[balance]' "
        "(or pip install '.[balance]' in a checkout)."
    ) from None

SENSORS = ["temperature", "pressure", "vibration"]


def sensor_table(n: int = 1440, seed: int = 7) -> tuple[pd.DataFrame, pd.Series]:
    """Minute readings with spikes, a few repeated rows and a power target."""
    rng = np.random.default_rng(seed)
    minutes = np.arange(n)
    table = pd.DataFrame(
        {
            "temperature": 60 + 5 * np.sin(minutes / 240) + rng.normal(0, 0.8, n),
            "pressure": rng.normal(3.2, 0.15, n),
            "vibration": rng.gamma(2.0, 0.5, n),
        },
        index=pd.date_range("2026-03-01", periods=n, freq="min", name="time"),
    )
    power = 2.0 * table["temperature"] + 15.0 * table["pressure"] + rng.normal(0, 1, n)
    spikes = rng.choice(n, 12, replace=False)
    table.iloc[spikes[:6], 0] = rng.choice([-40.0, 250.0], 6)  # temperature glitches
    table.iloc[spikes[6:], 2] = rng.uniform(20, 60, 6)  # vibration bursts
    table.iloc[[100, 101]] = table.iloc[
        [99, 99]
    ].to_numpy()  # logger wrote a row 3 times
    power.iloc[[100, 101]] = power.iloc[99]
    return table, power.rename("power")


def main() -> None:
    X, y = sensor_table()
    train, test = X.iloc[:1080], X.iloc[1080:]
    y_train, y_test = y.iloc[:1080], y.iloc[1080:]
    print(f"{len(X)} readings: {len(train)} for training, {len(test)} held out\n")

    # 1. Flag: learn IQR fences on the training rows, add {col}_outlier columns.
    flagger = OutlierHandler(method="iqr", k=3.0, action="flag").fit(train)
    flags = flagger.transform(train)
    print("1. flag (IQR, k=3), fences learned on the training rows:")
    for name, (low, high) in flagger.bounds_.items():
        count = int(flags[f"{name}_outlier"].sum())
        print(f"   {name:12s} [{low:8.2f}, {high:8.2f}]  {count} outlier(s)")
    first = flags[flags["temperature_outlier"]].index[0]
    print(
        f"   e.g. {first}: temperature {flags.loc[first, 'temperature']:.1f} (values unchanged)\n"
    )

    # 2. Clip: cap at the same fences; the test rows are judged by training fences.
    clipper = OutlierHandler(method="iqr", k=3.0, action="clip").fit(train)
    clipped = clipper.transform(test)
    changed = (clipped != test).sum()
    print("2. clip the held-out rows at the training fences:")
    for name in SENSORS:
        print(
            f"   {name:12s} {int(changed[name])} value(s) capped; "
            f"max {test[name].max():7.2f} -> {clipped[name].max():7.2f}"
        )
    print()

    # 3. Remove: drop duplicate and spiky training rows, y follows X.
    dedup = Deduplicator()
    X_unique, y_unique = dedup.fit_resample(train, y_train)
    remover = OutlierRemover(method="iqr", k=3.0, how="any")
    X_clean, y_clean = remover.fit_resample(X_unique, y_unique)
    print("3. remove rows (training only):")
    print(f"   Deduplicator dropped {dedup.n_removed_} repeated row(s)")
    print(
        f"   OutlierRemover dropped {remover.n_removed_} row(s): "
        f"{[str(t) for t in X_unique.index[remover.get_mask(removed=True)][:3]]} ..."
    )
    aligned = X_clean.index.equals(y_clean.index)
    print(f"   X {X_clean.shape}, y {y_clean.shape}, same timestamps: {aligned}\n")

    # The same steps inside a pipeline: rows drop while fitting, predict sees all.
    raw = LinearRegression().fit(train, y_train)
    cleaned = Pipeline(
        [
            ("dedup", Deduplicator()),
            ("drop", OutlierRemover(method="iqr", k=3.0)),
            ("clip", OutlierHandler(method="iqr", k=3.0)),
            ("model", LinearRegression()),
        ]
    ).fit(train, y_train)
    predictions = cleaned.predict(test)
    print("4. imblearn Pipeline(Deduplicator, OutlierRemover, OutlierHandler, model):")
    print(f"   {len(predictions)} predictions for {len(test)} held-out rows")
    before = mean_absolute_error(y_test, raw.predict(test))
    after = mean_absolute_error(y_test, predictions)
    print(f"   test MAE without cleaning {before:.2f}, with cleaning {after:.2f}")


if __name__ == "__main__":
    main()
