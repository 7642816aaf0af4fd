"""Testing helpers shipped with mlprep: Hypothesis strategies and conformance data.

Import :mod:`mlprep.testing.strategies` in property tests (it needs
``hypothesis``, installed by ``pip install "mlprep[test]"``).
"""
