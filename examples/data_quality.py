"""Data quality: a baseline of the training data, a check of new data, bias and a report.

Runs on the bundled customer table in about a second. The "new" data is the
same customers a few months on: tenure has grown, a new city appears, and some
incomes went missing. The baseline catches all three; the report draws them.

    python examples/data_quality.py
"""

import tempfile
from pathlib import Path

import numpy as np

from mlprep.datasets import load_customers
from mlprep.quality import Baseline, drift, pretraining_bias, report

train = load_customers()

# Some months on: longer tenure, a new city, missing incomes.
rng = np.random.default_rng(7)
today = train.copy()
today["tenure_months"] = today["tenure_months"] + 6
today.loc[rng.random(len(today)) < 0.15, "city"] = "Miami"
today.loc[rng.random(len(today)) < 0.2, "annual_income"] = np.nan

baseline = Baseline(columns=[c for c in train.columns if c != "customer_id"]).fit(train)
print(f"Baseline of {baseline.n_rows_} rows, {len(baseline.columns_)} columns")
print(
    "  age:",
    {k: baseline.statistics_["age"][k] for k in ("mean", "std_dev", "min", "max")},
)
print("  city domain:", baseline.constraints_["city"]["domain"])

found = baseline.check(today)
print()
print(found)

print()
print("PSI per numeric column:")
for column, value in drift(train, today, method="psi").items():
    if column in ("tenure_months", "annual_income", "age"):
        print(f"  {column:15s} {value:.3f}")

bias = pretraining_bias(train, label="churned", facet="city", facet_value="Seattle")
print()
print(f"Churn in Seattle vs elsewhere: CI={bias['CI']:.3f} DPL={bias['DPL']:+.3f}")

folder = Path(tempfile.mkdtemp())
baseline.write_sagemaker(folder)
page = report(today, baseline=baseline, target="churned", facet="city")
page.save(folder / "report.html")
print()
print(f"Wrote statistics.json, constraints.json and report.html to {folder}")
