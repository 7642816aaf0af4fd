"""``python -m mlprep``: the command line (see :mod:`mlprep.cli`)."""

from mlprep.cli import main

raise SystemExit(main())
