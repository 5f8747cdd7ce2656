"""How much should a deployment's own corrections weigh against imported history? (ADR 0005)

Cross-validation on the *adaptation rows only*: train.csv plus 4/5 of the first ``N`` rows of
other_province_dev.csv (weighted ``w``), scored on the held-out fifth of those ``N`` rows; 5 folds,
seed 2020. The rows after the first ``N`` are never read, nor is test.csv.

    .venv/bin/python bench/dispatch_adapt_weight.py            # N = 200, w in 1 2 3 4 5 8
    .venv/bin/python bench/dispatch_adapt_weight.py 616 2      # all rows, one weight (a figure, no tuning)
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("HUYING_DATA", ROOT.parent / "shared/data")) / "dispatch"
sys.path.insert(0, str(ROOT))

from huying.dispatch import classifier  # noqa: E402


def read(path: Path) -> tuple[list[str], list[str], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r["label"] or "").strip()]
    return (
        [classifier.split_title(r["title"], r["text"]) for r in rows],
        [r["title"] for r in rows],
        [r["label"].strip() for r in rows],
    )


def main(n: int = 200, weights: tuple[float, ...] = (1, 2, 3, 4, 5, 8)) -> None:
    texts, titles, labels = read(DATA / "train.csv")
    a_texts, a_titles, a_labels = (v[:n] for v in read(DATA / "other_province_dev.csv"))
    cfg = classifier.ModelConfig(cv_folds=0)
    y = np.asarray(a_labels)
    splitter = StratifiedKFold(5, shuffle=True, random_state=2020)
    names, counts = np.unique(y, return_counts=True)
    strata = np.where(counts[np.searchsorted(names, y)] >= 5, y, "rare")  # classes too rare to stratify
    folds = list(splitter.split(np.zeros(n), strata))
    for w in weights:
        truth: list[str] = []
        predicted: list[str] = []
        for fit_idx, val_idx in folds:
            model = classifier.train(
                texts + [a_texts[i] for i in fit_idx],
                labels + [a_labels[i] for i in fit_idx],
                cfg,
                titles=titles + [a_titles[i] for i in fit_idx],
                weights=[1.0] * len(texts) + [float(w)] * len(fit_idx),
            )
            truth += [a_labels[i] for i in val_idx]
            predicted += [model.predict(a_texts[i], a_titles[i])[0] for i in val_idx]
        f1 = f1_score(truth, predicted, average="macro")
        acc = float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)]))
        print(f"weight {w:g}: CV on the first {n} rows: macro-F1 {f1:.4f}, accuracy {acc:.4f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(int(sys.argv[1]), tuple(float(w) for w in sys.argv[2:]) or (1, 2, 3, 4, 5, 8))
    else:
        main()
