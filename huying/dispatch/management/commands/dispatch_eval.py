"""Train the dispatch classifier on one CSV, evaluate it on another, print the figures.

``python manage.py dispatch_eval --train train.csv --test test.csv [--baseline] [--rewritten] [--save model.npz]``

CSV columns: ``id,title,text,label`` (``text`` is title + body). The last line is
``RESULT macro_f1=… accuracy=… p99_ms=…``, or with ``--baseline``
``RESULT macro_f1=… baseline_macro_f1=… p99_ms=…``. ``--rewritten`` also scores the test messages
rewritten as another city might have them (:mod:`huying.dispatch.rewrite`), with no retraining.
"""

from __future__ import annotations

import csv
import os
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.dispatch import classifier, rewrite

COLUMNS = ("id", "title", "text", "label")


def read_csv(path: str) -> tuple[list[str], list[str]]:
    """(texts, labels) from a CSV with the columns id,title,text,label."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"文件不存在 / file not found: {path}")
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{path}: 缺少列 / missing columns: {', '.join(missing)} (need {','.join(COLUMNS)})")
            rows = [(row["text"] or "", (row["label"] or "").strip()) for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CommandError(f"{path}: 无法读取 / unreadable CSV: {exc}") from exc
    rows = [r for r in rows if r[1]]
    if not rows:
        raise CommandError(f"{path}: 没有带标签的行 / no labelled rows")
    return [r[0] for r in rows], [r[1] for r in rows]


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width (a Chinese character takes two columns)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 0)


@contextmanager
def one_core() -> Iterator[None]:
    """Pin the process to one CPU core and BLAS to one thread while timing."""
    from threadpoolctl import threadpool_limits

    getter, setter = getattr(os, "sched_getaffinity", None), getattr(os, "sched_setaffinity", None)
    before = getter(0) if getter else None
    if setter and before:
        setter(0, {min(before)})
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        if setter and before:
            setter(0, before)


def macro_f1(truth: list[str], predicted: list[str]) -> tuple[float, float, dict[str, tuple[float, int]]]:
    from sklearn.metrics import f1_score

    labels = sorted(set(truth))
    per_class = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    support = {label: truth.count(label) for label in labels}
    accuracy = float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)]))
    return (
        float(np.mean(per_class)),
        accuracy,
        {label: (float(f), support[label]) for label, f in zip(labels, per_class, strict=True)},
    )


class Command(BaseCommand):
    help = "训练并评估智能派单分类器 / train and evaluate the dispatch classifier on CSV files"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", required=True, help="training CSV (id,title,text,label)")
        parser.add_argument("--test", required=True, help="test CSV (id,title,text,label)")
        parser.add_argument("--baseline", action="store_true", help="also char 1-3-gram TF-IDF + LinearSVC")
        parser.add_argument(
            "--rewritten", action="store_true", help="also score the test messages as another city might write them"
        )
        parser.add_argument("--save", help="write the trained model to this .npz file")
        parser.add_argument("--cv-folds", type=int, default=classifier.ModelConfig.cv_folds)

    def handle(self, *args: Any, **options: Any) -> None:
        train_texts, train_labels = read_csv(options["train"])
        test_texts, test_labels = read_csv(options["test"])
        if len(set(train_labels)) < 2:
            raise CommandError(f"{options['train']}: 至少需要两个类别 / need at least two labels")
        out = self.stdout.write
        out(f"train: {len(train_texts)} messages, {len(set(train_labels))} labels; test: {len(test_texts)} messages")

        config = classifier.ModelConfig(cv_folds=options["cv_folds"])
        started = time.perf_counter()
        model = classifier.train(train_texts, train_labels, config)
        train_s = time.perf_counter() - started
        if options["save"]:
            classifier.save(model, options["save"])
            out(f"model saved to {options['save']}")

        predicted: list[str] = []
        latencies: list[float] = []
        with one_core():
            model.predict(test_texts[0])  # warm-up (OpenCC, caches)
            for text in test_texts:
                t0 = time.perf_counter()
                label, _, _ = model.predict(text)
                latencies.append((time.perf_counter() - t0) * 1000)
                predicted.append(label)
        f1, accuracy, per_class = macro_f1(test_labels, predicted)
        p50, p99 = (float(v) for v in np.percentile(latencies, [50, 99]))

        meta = model.metadata
        out("")
        out("== NB-SVM, character 1-2-grams (ours) ==")
        if meta.get("cv_macro_f1") is not None:
            out(
                f"cross-validation on train ({meta['cv_folds']} folds): macro-F1 {meta['cv_macro_f1']:.4f}, "
                f"accuracy {meta['cv_accuracy']:.4f}"
            )
            threshold = meta.get("auto_threshold")
            if threshold is not None:
                out(
                    f"suggested auto-dispatch threshold: confidence ≥ {threshold:.3f} "
                    f"({config.target_precision:.0%} right out-of-fold, covers {meta['auto_coverage']:.1%})"
                )
        out(f"training time: {train_s:.2f} s (including cross-validation), {meta['n_features']} features")
        out(f"test: macro-F1 {f1:.4f}, accuracy {accuracy:.4f}")
        out(f"latency per message (predict, one core): p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {max(latencies):.3f} ms")

        baseline_f1: float | None = None
        baseline_per_class: dict[str, tuple[float, int]] = {}
        baseline: Any = None
        if options["baseline"]:
            baseline, baseline_s = self._baseline(train_texts, train_labels)
            baseline_f1, baseline_accuracy, baseline_per_class = macro_f1(
                test_labels, [str(p) for p in baseline.predict(test_texts)]
            )
            out("")
            out("== baseline: char 1-3-gram TF-IDF + LinearSVC ==")
            out(f"training time: {baseline_s:.2f} s")
            out(f"test: macro-F1 {baseline_f1:.4f}, accuracy {baseline_accuracy:.4f}")

        out("")
        header = f"{_pad('label', 16)}{'support':>8}{'F1':>8}" + (f"{'baseline':>10}" if baseline_per_class else "")
        out(header)
        for label, (f, support) in per_class.items():
            line = f"{_pad(label, 16)}{support:>8}{f:>8.3f}"
            if baseline_per_class:
                line += f"{baseline_per_class[label][0]:>10.3f}"
            out(line)
        if options["rewritten"]:
            self._rewritten(model, baseline, test_texts, test_labels, f1, baseline_f1)
        out("")
        if baseline_f1 is None:
            out(f"RESULT macro_f1={f1:.4f} accuracy={accuracy:.4f} p99_ms={p99:.3f}")
        else:
            out(f"RESULT macro_f1={f1:.4f} baseline_macro_f1={baseline_f1:.4f} p99_ms={p99:.3f}")

    def _rewritten(
        self, model: Any, baseline: Any, texts: list[str], labels: list[str], f1: float, baseline_f1: float | None
    ) -> None:
        """Macro-F1 on the test messages as another city might write them (no retraining)."""
        out = self.stdout.write
        out("")
        out("== written differently: the test messages rewritten, labels kept, no retraining ==")
        out(f"{'variant':<48}{'ours':>8}" + (f"{'baseline':>10}" if baseline is not None else ""))

        def row(name: str, ours: float, base: float | None) -> None:
            out(f"{_pad(name, 48)}{ours:>8.4f}" + (f"{base:>10.4f}" if base is not None else ""))

        row("as published", f1, baseline_f1)
        for name, variant in rewrite.rewritten(texts).items():
            ours = macro_f1(labels, [model.predict(t)[0] for t in variant])[0]
            base = macro_f1(labels, [str(p) for p in baseline.predict(variant)])[0] if baseline is not None else None
            row(rewrite.VARIANTS[name][0], ours, base)

    @staticmethod
    def _baseline(train_texts: list[str], train_labels: list[str]) -> tuple[Any, float]:
        """The plain baseline, fitted: raw text, character 1-3-gram TF-IDF, LinearSVC with default settings."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC

        started = time.perf_counter()
        pipeline = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
        pipeline.fit(train_texts, train_labels)
        return pipeline, time.perf_counter() - started
