"""Train the shipped linear models from the public sets whose licence allows training.

    python -m merkwacht.analysis.training.train [--data ../shared/data/public] [--only claims]

Models (see docs/model-card.md):

``claims``
    "is this sentence a factual claim?" for missing_source, trained on FactRank (Dutch parliament,
    MIT: factual = FR/FNR or CFS/UFS) and ClaimBuster two-class (English debates, CC BY 4.0:
    check-worthy factual sentences).

A ``tone`` model (RTP-LX Dutch + Davidson) was tried for off_tone and dropped: it did not beat the
lexicons on OLID or HateCheck and raised false alarms on organic tweets (see docs/model-card.md).

Only those sets are read ("may train" in data/public/README.md); the functional test suites
(MHC, HateCheck) and the measure-only sets are never used. The script prints 5-fold
cross-validated F1 on the training data; scores on sets not trained on come from bench/.
Logistic regression with L2, trained by full-batch gradient descent (Adam) in numpy.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from pathlib import Path

import numpy as np

from ..detect.linear import FEATURE_SET, features

csv.field_size_limit(10**9)
HERE = Path(__file__).resolve()
DEFAULT_DATA = HERE.parents[3].parent / "shared" / "data" / "public"
OUT = HERE.parents[1] / "data" / "models"


def _rows(path: Path, label) -> list[tuple[str, int]]:
    with open(path, newline="", encoding="utf-8") as fh:
        out = []
        for row in csv.DictReader(fh):
            y = label(row)
            if y is not None:
                out.append((row["text"], y))
        return out


def _lab(row, col="label"):
    value = row.get(col, "")
    return None if value == "" else int(value == "1")


SETS = {
    "claims": [
        ("factrank_nl/factrank_v1_2019.csv", _lab),
        ("factrank_nl/factrank_dump_2017.csv", _lab),
        ("claimbuster_en/claimbuster_two_class.csv", _lab),
    ],
}


def _matrix(docs: list[list[str]], index: dict[str, int]):
    rows, cols = [], []
    for i, feats in enumerate(docs):
        for f in sorted(set(feats)):  # a fixed order: the same sums, bit for bit, on every run
            j = index.get(f)
            if j is not None:
                rows.append(i)
                cols.append(j)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def fit(docs, y, *, vocab_size=30000, min_count=2, l2=1e-4, epochs=300, lr=0.05, class_weight=True):
    """Fit a logistic regression; return (vocabulary, weights, bias)."""
    counts = Counter(f for feats in docs for f in set(feats))
    # most frequent first, ties by name: the same vocabulary whatever the string hashing of this run
    ranked = sorted(counts.items(), key=lambda fc: (-fc[1], fc[0]))[:vocab_size]
    vocabulary = [f for f, c in ranked if c >= min_count]
    index = {f: i for i, f in enumerate(vocabulary)}
    rows, cols = _matrix(docs, index)
    n, d = len(docs), len(vocabulary)
    y = np.asarray(y, dtype=np.float64)
    sw = np.ones(n)
    if class_weight:
        pos = y.mean()
        sw = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))
    w = np.zeros(d)
    b = 0.0
    m_w = np.zeros(d); v_w = np.zeros(d); m_b = v_b = 0.0
    for t in range(1, epochs + 1):
        z = np.bincount(rows, weights=w[cols], minlength=n) + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        g = (p - y) * sw / n
        gw = np.bincount(cols, weights=g[rows], minlength=d) + l2 * w
        gb = g.sum()
        m_w = 0.9 * m_w + 0.1 * gw; v_w = 0.999 * v_w + 0.001 * gw * gw
        m_b = 0.9 * m_b + 0.1 * gb; v_b = 0.999 * v_b + 0.001 * gb * gb
        w -= lr * (m_w / (1 - 0.9**t)) / (np.sqrt(v_w / (1 - 0.999**t)) + 1e-8)
        b -= lr * (m_b / (1 - 0.9**t)) / (np.sqrt(v_b / (1 - 0.999**t)) + 1e-8)
    return vocabulary, w, b


def predict(model, docs):
    vocabulary, w, b = model
    index = {f: i for i, f in enumerate(vocabulary)}
    rows, cols = _matrix(docs, index)
    z = np.bincount(rows, weights=w[cols], minlength=len(docs)) + b
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def cross_validate(docs, y, folds=5, **kw) -> float:
    order = list(range(len(docs)))
    random.Random(0).shuffle(order)
    tp = fp = fn = 0
    for k in range(folds):
        test = set(order[k::folds])
        tr = [i for i in order if i not in test]
        model = fit([docs[i] for i in tr], [y[i] for i in tr], **kw)
        te = sorted(test)
        p = predict(model, [docs[i] for i in te])
        for pi, i in zip(p, te):
            got = pi >= 0.5
            tp += got and y[i] == 1
            fp += got and y[i] == 0
            fn += (not got) and y[i] == 1
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--only", choices=sorted(SETS))
    ap.add_argument("--no-cv", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, sources in SETS.items():
        if args.only and name != args.only:
            continue
        data = []
        for rel, label in sources:
            part = _rows(args.data / rel, label)
            print(f"{name}: {rel}: {len(part)} rows, {sum(y for _, y in part)} positive")
            data.extend(part)
        docs = [features(t) for t, _ in data]
        y = [lab for _, lab in data]
        if not args.no_cv:
            print(f"{name}: 5-fold cross-validated F1 on the training data: {cross_validate(docs, y):.3f}")
        vocabulary, w, b = fit(docs, y)
        keep = np.abs(w) > 1e-3
        vocabulary = [f for f, k in zip(vocabulary, keep) if k]
        w = w[keep]
        np.savez_compressed(OUT / f"{name}.npz", vocabulary=np.asarray(vocabulary), weights=w.astype(np.float32),
                            bias=np.float64(b), feature_set=np.asarray(FEATURE_SET))
        size = (OUT / f"{name}.npz").stat().st_size
        print(f"{name}: {len(vocabulary)} features, {size / 1024:.0f} KB -> {OUT / (name + '.npz')}")


if __name__ == "__main__":
    main()
