"""Train the dispatch classifier on one CSV, evaluate it on another, print the figures.

``python manage.py dispatch_eval --train train.csv --test test.csv [--baseline] [--rewritten] [--save model.npz]``
``… --adapt local.csv --adapt-n 200 --test local.csv --skip-first 200`` (or ``--test-rest``)

CSV columns: ``id,title,text,label`` (``text`` is title + body; the title is a minor channel).
``--adapt FILE --adapt-n N`` adds the first N rows of FILE (in file order) to the training data,
weighted as a deployment's own corrections (``--adapt-weight``); ``--skip-first N`` scores only the
test rows after the first N, ``--test-rest`` scores the adapt file's rows after the first N.
Besides macro-F1 and accuracy it prints the share of test messages dispatched without a person at
the threshold the deployment would use (the model's own, never below the setting
``HUYING_AUTO_DISPATCH_CONFIDENCE`` when one is set; none when the model has no threshold), the
precision of those, and the expected calibration error. The last line is
``RESULT macro_f1=… accuracy=… p99_ms=… auto_share=… auto_precision=… ece=…`` (with ``--baseline``
followed by `` baseline_macro_f1=…``). ``--rewritten`` also scores the test messages rewritten as
another city might have them (:mod:`huying.dispatch.rewrite`), with no retraining.
"""

from __future__ import annotations

import csv
import os
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.dispatch import calibration, classifier, rewrite

COLUMNS = ("id", "title", "text", "label")
Rows = tuple[list[str], list[str], list[str]]  # contents, titles, labels


def read_csv(path: str) -> tuple[list[str], list[str]]:
    """(texts, labels) from a CSV with the columns id,title,text,label (texts: title + body)."""
    contents, titles, labels = read_rows(path)
    return [f"{t}{c}" for c, t in zip(contents, titles, strict=True)], labels


def read_rows(path: str) -> Rows:
    """(contents, titles, labels) from a CSV with the columns id,title,text,label, in file order."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"文件不存在 / file not found: {path}")
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{path}: 缺少列 / missing columns: {', '.join(missing)} (need {','.join(COLUMNS)})")
            rows = [(row["text"] or "", (row["label"] or "").strip(), row["title"] or "") for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CommandError(f"{path}: 无法读取 / unreadable CSV: {exc}") from exc
    rows = [r for r in rows if r[1]]
    if not rows:
        raise CommandError(f"{path}: 没有带标签的行 / no labelled rows")
    return [classifier.split_title(r[2], r[0]) for r in rows], [r[2] for r in rows], [r[1] for r in rows]


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


@dataclass
class Scored:
    """What the trained model did with the test messages."""

    predicted: list[str]
    confidence: np.ndarray
    auto: np.ndarray  # dispatched without a person at the deployment threshold
    reasons: Counter[str]
    latencies: list[float]


def score(model: classifier.Model, contents: list[str], titles: list[str], threshold: float | None) -> Scored:
    """Assess every test message on one core, timing each."""
    result = Scored([], np.zeros(len(contents)), np.zeros(len(contents), dtype=bool), Counter(), [])
    with one_core():
        model.assess(contents[0], titles[0])  # warm-up (OpenCC, caches)
        for i, (content, title) in enumerate(zip(contents, titles, strict=True)):
            t0 = time.perf_counter()
            a = model.assess(content, title)
            result.latencies.append((time.perf_counter() - t0) * 1000)
            result.predicted.append(a.label)
            result.confidence[i] = a.confidence
            result.auto[i] = a.reason is None and threshold is not None and a.confidence >= threshold
            result.reasons[a.reason or ""] += 1
    return result


def deployment_floor() -> float | None:
    """The configured lowest auto-dispatch confidence, if any (settings are optional here)."""
    from django.conf import settings

    value = getattr(settings, "HUYING_AUTO_DISPATCH_CONFIDENCE", None) if settings.configured else None
    return None if value is None else float(value)


class Command(BaseCommand):
    help = "训练并评估智能派单分类器 / train and evaluate the dispatch classifier on CSV files"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", required=True, help="training CSV (id,title,text,label)")
        parser.add_argument("--test", help="test CSV (id,title,text,label)")
        parser.add_argument("--skip-first", type=int, default=0, help="score only the test rows after the first N")
        parser.add_argument("--adapt", help="a deployment's own corrections (CSV, same columns)")
        parser.add_argument("--adapt-n", type=int, default=0, help="train on the first N rows of --adapt")
        parser.add_argument("--adapt-weight", type=float, default=classifier.LOCAL_WEIGHT)
        parser.add_argument("--test-rest", action="store_true", help="test on the --adapt rows after the first N")
        parser.add_argument("--baseline", action="store_true", help="also char 1-3-gram TF-IDF + LinearSVC")
        parser.add_argument(
            "--rewritten", action="store_true", help="also score the test messages as another city might write them"
        )
        parser.add_argument("--save", help="write the trained model to this .npz file")
        parser.add_argument("--cv-folds", type=int, default=classifier.ModelConfig.cv_folds)

    def _data(self, options: dict[str, Any]) -> tuple[Rows, list[float], Rows]:
        """(training rows, their weights, test rows) as the options ask."""
        train = read_rows(options["train"])
        weights = [1.0] * len(train[0])
        n, skip = options["adapt_n"], options["skip_first"]
        if options["test_rest"]:
            if not options["adapt"]:
                raise CommandError("--test-rest 需要 --adapt / needs --adapt")
            options["test"], skip = options["adapt"], n
        if not options["test"]:
            raise CommandError("需要 --test 或 --test-rest / --test or --test-rest is required")
        if options["adapt"] and n > 0:
            local = read_rows(options["adapt"])
            if n > len(local[0]):
                raise CommandError(f"--adapt-n {n}: {options['adapt']} has {len(local[0])} rows")
            train = (train[0] + local[0][:n], train[1] + local[1][:n], train[2] + local[2][:n])
            weights += [options["adapt_weight"]] * n
        test = read_rows(options["test"])
        test = (test[0][skip:], test[1][skip:], test[2][skip:])
        if not test[0]:
            raise CommandError(f"{options['test']}: 跳过前 {skip} 行后没有测试数据 / no test rows left")
        if len(set(train[2])) < 2:
            raise CommandError(f"{options['train']}: 至少需要两个类别 / need at least two labels")
        return train, weights, test

    def handle(self, *args: Any, **options: Any) -> None:
        train, weights, test = self._data(options)
        out = self.stdout.write
        n_local = sum(w != 1.0 for w in weights) if options["adapt"] else 0
        out(
            f"train: {len(train[0])} messages ({n_local} local, weight {options['adapt_weight']:g}), "
            f"{len(set(train[2]))} labels; test: {len(test[0])} messages"
        )
        config = classifier.ModelConfig(cv_folds=options["cv_folds"])
        started = time.perf_counter()
        model = classifier.train(train[0], train[2], config, titles=train[1], weights=weights)
        train_s = time.perf_counter() - started
        if options["save"]:
            classifier.save(model, options["save"])
            out(f"model saved to {options['save']}")
        threshold = calibration.deployment_threshold(model.auto_threshold, deployment_floor())
        scored = score(model, test[0], test[1], threshold)
        f1, accuracy, per_class = macro_f1(test[2], scored.predicted)
        p99 = self._report_model(model, config, scored, train_s, f1, accuracy)
        auto_share, auto_precision, ece = self._report_auto(model, scored, test[2], threshold)
        baseline_f1, baseline, baseline_per_class = self._maybe_baseline(options, train, test)
        self._per_class(per_class, baseline_per_class)
        if options["rewritten"]:
            full = [f"{t}{c}" for c, t in zip(test[0], test[1], strict=True)]
            self._rewritten(model, baseline, full, test[2], f1, baseline_f1)
        out("")
        line = (
            f"RESULT macro_f1={f1:.4f} accuracy={accuracy:.4f} p99_ms={p99:.3f} "
            f"auto_share={auto_share:.4f} auto_precision={auto_precision:.4f} ece={ece:.4f}"
        )
        out(line + (f" baseline_macro_f1={baseline_f1:.4f}" if baseline_f1 is not None else ""))

    def _report_model(
        self,
        model: classifier.Model,
        config: classifier.ModelConfig,
        scored: Scored,
        train_s: float,
        f1: float,
        accuracy: float,
    ) -> float:
        out, meta = self.stdout.write, model.metadata
        out("")
        out("== NB-SVM, character 1-2-grams (ours) ==")
        if meta.get("cv_macro_f1") is not None:
            out(
                f"cross-validation on train ({meta['cv_folds']} folds): macro-F1 {meta['cv_macro_f1']:.4f}, "
                f"accuracy {meta['cv_accuracy']:.4f}, ECE {meta['cv_ece']:.4f}, "
                f"unlike the training data {meta['cv_ood_share']:.1%}"
            )
        if model.not_measurable:
            out(f"not measurable by cross-validation ({model.not_measurable}): no auto-dispatch threshold")
        elif model.auto_threshold is not None:
            out(
                f"suggested auto-dispatch threshold: confidence ≥ {model.auto_threshold:.3f} "
                f"({config.target_precision:.0%} right out-of-fold, covers {meta['auto_coverage']:.1%})"
            )
        p50, p99 = (float(v) for v in np.percentile(scored.latencies, [50, 99]))
        out(f"training time: {train_s:.2f} s (including cross-validation), {meta['n_features']} features")
        out(f"test: macro-F1 {f1:.4f}, accuracy {accuracy:.4f}")
        out(
            f"latency per message (assess, one core): p50 {p50:.3f} ms, p99 {p99:.3f} ms, "
            f"max {max(scored.latencies):.3f} ms"
        )
        return p99

    def _report_auto(
        self, model: classifier.Model, scored: Scored, truth: list[str], threshold: float | None
    ) -> tuple[float, float, float]:
        """Auto-dispatch share and precision at the deployment threshold; expected calibration error."""
        out = self.stdout.write
        correct = np.array([p == t for p, t in zip(scored.predicted, truth, strict=True)])
        ece = calibration.expected_calibration_error(scored.confidence, correct)
        share = float(scored.auto.mean())
        precision = float(correct[scored.auto].mean()) if scored.auto.any() else 0.0
        shown = "none (no auto-dispatch)" if threshold is None else f"{threshold:.3f}"
        out(f"deployment threshold: {shown}; auto-dispatched {share:.1%} of test messages, precision {precision:.4f}")
        out(f"expected calibration error (10 bins): {ece:.4f}")
        flagged = {k: v for k, v in scored.reasons.items() if k}
        out("unlike the training data: " + (", ".join(f"{k} {v}" for k, v in sorted(flagged.items())) or "none"))
        return share, precision, ece

    def _maybe_baseline(
        self, options: dict[str, Any], train: Rows, test: Rows
    ) -> tuple[float | None, Any, dict[str, tuple[float, int]]]:
        if not options["baseline"]:
            return None, None, {}
        full_train = [f"{t}{c}" for c, t in zip(train[0], train[1], strict=True)]
        full_test = [f"{t}{c}" for c, t in zip(test[0], test[1], strict=True)]
        baseline, baseline_s = self._baseline(full_train, train[2])
        f1, accuracy, per_class = macro_f1(test[2], [str(p) for p in baseline.predict(full_test)])
        out = self.stdout.write
        out("")
        out("== baseline: char 1-3-gram TF-IDF + LinearSVC ==")
        out(f"training time: {baseline_s:.2f} s")
        out(f"test: macro-F1 {f1:.4f}, accuracy {accuracy:.4f}")
        return f1, baseline, per_class

    def _per_class(self, per_class: dict[str, tuple[float, int]], baseline: dict[str, tuple[float, int]]) -> None:
        out = self.stdout.write
        out("")
        out(f"{_pad('label', 16)}{'support':>8}{'F1':>8}" + (f"{'baseline':>10}" if baseline else ""))
        for label, (f, support) in per_class.items():
            line = f"{_pad(label, 16)}{support:>8}{f:>8.3f}"
            if baseline:
                line += f"{baseline.get(label, (0.0, 0))[0]:>10.3f}"
            out(line)

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
