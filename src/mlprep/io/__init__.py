"""Files in and out: :func:`scan` (lazy, larger than memory), :func:`read` and :func:`write`.

Parquet, CSV (``.csv``, ``.csv.gz``, ``.tsv``) and, for writing, SageMaker's
header-less ``sagemaker-csv``; one file, a folder of shards or a glob; local
paths or fsspec URLs (``s3://...`` with ``pip install "mlprep-kit[s3]"``).
"""

from mlprep.io._read import read
from mlprep.io._scan import scan
from mlprep.io._write import write

__all__ = ["read", "scan", "write"]
