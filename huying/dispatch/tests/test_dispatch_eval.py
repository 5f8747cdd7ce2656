"""The dispatch_eval command on tiny temporary CSVs."""

from __future__ import annotations

import csv
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .test_classifier import corpus


def write_csv(
    path: Path, texts: list[str], labels: list[str], columns: tuple[str, ...] = ("id", "title", "text", "label")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            row = {"id": str(i), "title": text[:6], "text": text, "label": label}
            writer.writerow([row.get(c, "") for c in columns])
    return path


@pytest.fixture
def csvs(tmp_path: Path) -> tuple[Path, Path]:
    texts, labels = corpus()
    return write_csv(tmp_path / "train.csv", texts, labels), write_csv(tmp_path / "test.csv", texts[::4], labels[::4])


def run(*args: str) -> str:
    out = StringIO()
    call_command("dispatch_eval", *args, stdout=out)
    return out.getvalue()


def test_prints_figures_and_one_result_line(csvs: tuple[Path, Path], tmp_path: Path) -> None:
    train, test = csvs
    output = run("--train", str(train), "--test", str(test), "--cv-folds", "3", "--save", str(tmp_path / "m.npz"))
    lines = output.strip().splitlines()
    assert re.fullmatch(
        r"RESULT macro_f1=[0-9.]+ accuracy=[0-9.]+ p99_ms=[0-9.]+ auto_share=[0-9.]+ auto_precision=[0-9.]+ ece=[0-9.]+",
        lines[-1],
    )
    assert sum(line.startswith("RESULT") for line in lines) == 1
    assert "p50" in output and "training time" in output and "教育文体" in output
    assert (tmp_path / "m.npz").is_file()


def test_baseline_changes_the_result_line(csvs: tuple[Path, Path]) -> None:
    train, test = csvs
    last = run("--train", str(train), "--test", str(test), "--cv-folds", "0", "--baseline").strip().splitlines()[-1]
    assert re.fullmatch(r"RESULT macro_f1=[0-9.]+ accuracy=.* ece=[0-9.]+ baseline_macro_f1=[0-9.]+", last)


def test_rewritten_scores_each_variant_before_the_result_line(csvs: tuple[Path, Path]) -> None:
    train, test = csvs
    lines = run("--train", str(train), "--test", str(test), "--cv-folds", "0", "--baseline", "--rewritten").splitlines()
    start = lines.index("== written differently: the test messages rewritten, labels kept, no retraining ==")
    rows = lines[start + 2 : start + 7]
    assert rows[0].startswith("as published") and "one-line report" in rows[-1]
    assert all(re.search(r"\s[01]\.\d{4}\s+[01]\.\d{4}$", row) for row in rows), rows
    assert lines[-1].startswith("RESULT macro_f1=")


def test_missing_file_is_a_command_error(csvs: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        run("--train", str(tmp_path / "nope.csv"), "--test", str(csvs[1]))


def test_missing_columns_is_a_command_error(csvs: tuple[Path, Path], tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", ["学校"], ["教育文体"], columns=("id", "text"))
    with pytest.raises(CommandError, match="missing columns: title, label"):
        run("--train", str(csvs[0]), "--test", str(bad))


def test_templated_training_data_get_no_auto_dispatch(csvs: tuple[Path, Path]) -> None:
    train, test = csvs
    output = run("--train", str(train), "--test", str(test), "--cv-folds", "3")
    assert "not measurable by cross-validation" in output and "deployment threshold: none" in output
    assert " auto_share=0.0000 " in output.strip().splitlines()[-1]


def test_adapt_rows_are_added_and_the_rest_is_scored(csvs: tuple[Path, Path]) -> None:
    train, test = csvs  # test.csv has 19 rows
    output = run("--train", str(train), "--adapt", str(test), "--adapt-n", "5", "--test-rest", "--cv-folds", "0")
    assert "(5 local, weight 2)" in output and "test: 14 messages" in output
    skipped = run("--train", str(train), "--test", str(test), "--skip-first", "16", "--cv-folds", "0")
    assert "test: 3 messages" in skipped
    with pytest.raises(CommandError, match="no test rows left"):
        run("--train", str(train), "--test", str(test), "--skip-first", "19", "--cv-folds", "0")
