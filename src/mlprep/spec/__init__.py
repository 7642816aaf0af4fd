"""Pipeline specs: a preprocessing pipeline written as JSON or YAML.

A spec lists mlprep transformers by class name with their parameters and,
optionally, columns to drop first, columns to pass through untouched and the
target column::

    {"steps": [{"class": "Imputer", "params": {"strategy": "median"},
                "name": "impute", "columns": ["age", "income"]}],
     "drop": ["notes"], "passthrough": ["id"], "target": "label"}

:func:`load_spec` reads and checks it against mlprep's class registry (nothing
is ever imported from a spec), :func:`build_pipeline` turns it into a
scikit-learn ``Pipeline``, and :func:`spec_schema` gives its JSON Schema for
editors. Every problem is a :class:`SpecError` naming the file and the step.
"""

from mlprep.spec._build import build_pipeline
from mlprep.spec._errors import SpecError
from mlprep.spec._load import load_spec
from mlprep.spec._schema import spec_schema
from mlprep.spec._spec import Spec
from mlprep.spec._step import Step

__all__ = ["Spec", "SpecError", "Step", "build_pipeline", "load_spec", "spec_schema"]
