"""Persistence benchmark: mlprep.save / mlprep.load against pickle and joblib.

The workload of issue 15: a fitted ``mlprep.text.TfidfVectorizer`` holding a
vocabulary of N synthetic terms (random lowercase words of 3–12 letters and
bigrams of them, each mapped to its index) and one idf weight per term
(a Python list of floats, as the vectorizer keeps it). The vectorizer is
fitted on a few documents first, so every attribute is what ``fit`` makes;
the vocabulary and weights are then replaced by the synthetic ones.

Per writer: file size, save time and load time (best of ``--repeat`` runs, on
a file in a temporary folder), and their ratios to pickle (protocol 5).
Target (issue 15): mlprep within 2x pickle's size and time, with no code run
at load (pickle and joblib run whatever the file names).

    python benchmarks/bench_persistence.py --terms 1500000 --repeat 3
"""

from __future__ import annotations

import argparse
import functools
import os
import pickle
import string
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import mlprep
from mlprep.text import TfidfVectorizer

SEED = 15


def vectorizer(terms: int) -> Any:
    """A fitted TfidfVectorizer with ``terms`` vocabulary entries."""
    rng = np.random.default_rng(SEED)
    letters = np.array(list(string.ascii_lowercase))
    lengths = rng.integers(3, 13, terms)
    flat = letters[rng.integers(0, 26, int(lengths.sum()))]
    ends = np.cumsum(lengths)
    words = ["".join(flat[e - n : e]) for e, n in zip(ends.tolist(), lengths.tolist())]
    half = terms // 2
    vocabulary = words[:half] + [f"{a} {b}" for a, b in zip(words[half:], words[:half])]
    vocabulary = sorted(set(vocabulary))
    fitted = TfidfVectorizer(ngram_range=(1, 2)).fit(["a first doc", "a second doc"])
    column = fitted.columns_[0]
    fitted.vocabularies_ = {column: {t: i for i, t in enumerate(vocabulary)}}
    fitted.idfs_ = {column: (1.0 + rng.random(len(vocabulary)) * 9.0).tolist()}
    return fitted


def _pickle_save(obj: Any, path: str) -> None:
    with open(path, "wb") as handle:
        pickle.dump(obj, handle, protocol=5)


def _pickle_load(path: str) -> Any:
    with open(path, "rb") as handle:
        return pickle.load(handle)


def _writers() -> dict[str, tuple[Callable[[Any, str], None], Callable[[str], Any]]]:
    writers: dict[str, tuple[Callable[[Any, str], None], Callable[[str], Any]]] = {
        "pickle": (_pickle_save, _pickle_load),
        "mlprep": (mlprep.save, mlprep.load),
        "mlprep (compress=True)": (
            lambda obj, path: mlprep.save(obj, path, compress=True),
            mlprep.load,
        ),
    }
    try:
        import joblib
    except ImportError:
        return writers
    writers["joblib"] = (joblib.dump, joblib.load)
    return writers


def _best(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def run(terms: int, repeat: int) -> list[dict[str, Any]]:
    """One row per writer: size in bytes, save and load seconds."""
    obj = vectorizer(terms)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, (write, read) in _writers().items():
            path = os.path.join(folder, "model.bin")
            save_s = _best(functools.partial(write, obj, path), repeat)
            load_s = _best(functools.partial(read, path), repeat)
            loaded = read(path)
            assert loaded.vocabularies_ == obj.vocabularies_, name
            rows.append(
                {
                    "writer": name,
                    "bytes": os.path.getsize(path),
                    "save_s": save_s,
                    "load_s": load_s,
                }
            )
    return rows


def table(rows: list[dict[str, Any]], terms: int) -> str:
    base = next(r for r in rows if r["writer"] == "pickle")
    lines = [
        f"TF-IDF vocabulary of {terms:,} terms (size and best-of time; ratio to pickle)",
        "",
        "| writer | size (MB) | x pickle | save (s) | x pickle | load (s) | x pickle |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['writer']} | {r['bytes'] / 1e6:.1f} | {r['bytes'] / base['bytes']:.2f} "
            f"| {r['save_s']:.2f} | {r['save_s'] / base['save_s']:.2f} "
            f"| {r['load_s']:.2f} | {r['load_s'] / base['load_s']:.2f} |"
        )
    return "\n".join(lines)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=1_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(table(run(args.terms, args.repeat), args.terms))


if __name__ == "__main__":
    cli()
