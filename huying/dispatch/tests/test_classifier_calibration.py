"""Calibration, out-of-distribution reasons, the title channel and weighted training, on small synthetic data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from huying.dispatch import calibration, classifier, ood
from huying.dispatch.classifier import ModelConfig

from .test_classifier import TAILS, corpus


def test_isotonic_map_is_monotone_and_matches_observed_accuracy() -> None:
    rng = np.random.default_rng(0)
    top = rng.uniform(0.3, 1.0, 2000)
    correct = rng.uniform(size=2000) < top**2  # over-confident scores: accuracy is top²
    points = calibration.fit_isotonic(top, correct)
    mapped = calibration.apply_isotonic(np.linspace(0, 1, 50), points)
    assert np.all(np.diff(mapped) >= 0) and mapped.min() >= 0 and mapped.max() <= 1
    assert calibration.apply_isotonic(0.9, points) == pytest.approx(0.81, abs=0.08)
    before = calibration.expected_calibration_error(top, correct)
    after = calibration.expected_calibration_error(calibration.apply_isotonic(top, points), correct)
    assert after < before / 2


def test_expected_calibration_error() -> None:
    confidence = np.array([0.9] * 10 + [0.6] * 10)
    right = np.array([True] * 9 + [False] + [True] * 6 + [False] * 4)
    assert calibration.expected_calibration_error(confidence, right) == pytest.approx(0.0)
    assert calibration.expected_calibration_error(np.full(10, 0.99), np.zeros(10, dtype=bool)) == pytest.approx(0.99)


def test_auto_threshold_takes_equal_confidences_together() -> None:
    confidence = np.array([0.99, 0.95, 0.95, 0.9, 0.8])
    correct = np.array([True, True, False, True, False])
    assert calibration.auto_threshold(confidence, correct, 0.7) == (0.9, 0.8)
    assert calibration.auto_threshold(confidence, correct, 0.9) == (0.99, 0.2)  # not 0.95: its twin was wrong
    assert calibration.auto_threshold(confidence, np.zeros(5, dtype=bool), 0.5) == (None, 0.0)


def test_templated_or_tiny_data_are_not_measurable() -> None:
    assert calibration.not_measurable(["同一句话"] * 500, ["a", "b"] * 250, 0.8) == calibration.TOO_FEW_TEXTS
    texts = [f"第{i}条不同的留言" for i in range(500)]
    assert calibration.not_measurable(texts, ["a"] * 490 + ["b"] * 10, 0.8) == calibration.TOO_FEW_PER_CLASS
    assert calibration.not_measurable(texts, ["a", "b"] * 250, 1.0) == calibration.TOO_PERFECT
    assert calibration.not_measurable(texts, ["a", "b"] * 250, 0.9) is None


def test_deployment_threshold() -> None:
    assert calibration.deployment_threshold(None, 0.5) is None  # no threshold of its own: never automatic
    assert calibration.deployment_threshold(0.8, None) == 0.8
    assert calibration.deployment_threshold(0.8, 0.9) == 0.9 and calibration.deployment_threshold(0.95, 0.9) == 0.95


def test_ood_reasons() -> None:
    limits = ood.Limits(min_han=10, min_coverage=0.8, min_similarity=0.2)
    text = "小区门口路灯不亮已经一周，晚上出行不便"
    assert ood.judge("The street light outside has been broken for a week", 1.0, 1.0, limits) == ood.NOT_CHINESE
    assert ood.judge("路灯不亮", 1.0, 1.0, limits) == ood.TOO_SHORT
    assert ood.judge(text, 0.5, 1.0, limits) == ood.UNKNOWN_TERMS
    assert ood.judge(text, 0.9, 0.1, limits) == ood.UNLIKE_HISTORY
    assert ood.judge(text, 0.9, 0.3, limits) is None
    assert ood.text_shape("路灯abc") == (2, 0.4)
    fitted = ood.fit_limits(np.linspace(0, 1, 101), np.linspace(0, 0.5, 101), 0.1)
    assert fitted.min_coverage == pytest.approx(0.1) and fitted.min_similarity == pytest.approx(0.05)
    assert ood.fit_limits(np.ones(5), np.ones(5), 0.0) == ood.Limits()
    assert ood.Limits.from_dict(fitted.as_dict()) == fitted


@pytest.fixture(scope="module")
def model() -> classifier.Model:
    texts, labels = corpus()
    return classifier.train(texts, labels, ModelConfig(cv_folds=3))


def test_unlike_text_gets_low_confidence_and_a_reason(model: classifier.Model) -> None:
    english = model.assess("My child's school bus is always late, please help")
    assert english.reason == ood.NOT_CHINESE and english.confidence <= ood.CONFIDENCE_CAP
    assert model.assess("学校老师").reason == ood.TOO_SHORT
    clear = model.assess("学校门口老师和学生太多，接送孩子很不方便，请处理")
    assert clear.label == "教育文体" and clear.reason is None
    assert [c for _, c in english.top] == sorted((c for _, c in english.top), reverse=True)


def test_templated_training_data_give_no_threshold(model: classifier.Model) -> None:
    assert model.not_measurable == calibration.TOO_FEW_TEXTS and model.auto_threshold is None


def test_title_counts_less_than_the_content(model: classifier.Model) -> None:
    title = "公交车地铁站出租车红绿灯公交线路问题"
    content = "小区附近污水横流，油烟和噪音扰民，空气污染严重，请处理"
    assert model.assess(content, title).label == "环境保护"
    assert model.predict(title + content)[0] == model.assess(title + content).label  # no title: one text


def test_local_corrections_outweigh_history() -> None:
    """The same kind of message filed under another class locally: the weight decides which wins."""
    texts, labels = corpus()
    local = [f"工地拖欠工资{tail}" for tail in TAILS] * 2
    history = [f"拖欠工资{tail}，公司不发" for tail in TAILS] * 2
    texts, labels = texts + history + local, labels + ["教育文体"] * len(history) + ["交通运输"] * len(local)
    cfg = ModelConfig(cv_folds=0)
    even = classifier.train(texts, labels, cfg, weights=[1.0] * (len(texts) - len(local)) + [1.0] * len(local))
    local_first = classifier.train(texts, labels, cfg, weights=[1.0] * (len(texts) - len(local)) + [6.0] * len(local))
    query = "拖欠工资三个月了"
    assert (
        even.proba(query)[even.classes.index("交通运输")]
        < local_first.proba(query)[local_first.classes.index("交通运输")]
    )
    assert local_first.predict(query)[0] == "交通运输"
    with pytest.raises(ValueError, match="weight"):
        classifier.train(texts, labels, cfg, weights=[0.0] * len(texts))


def test_format_1_files_still_load(model: classifier.Model, tmp_path: Path) -> None:
    """A file written before calibration and the title channel: same arrays, no centroids."""
    path = tmp_path / "v1.npz"
    classifier.save(model, path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files if k != "centroids"}
    meta = json.loads(str(arrays["meta"][()]))
    new_keys = {"title_channel", "title_weight", "title_share", "ood_quantile", "min_auto_coverage", "min_han"}
    meta = {k: v for k, v in meta.items() if k not in {"isotonic", "ood_limits", "not_measurable"}}
    meta.update(format_version=1, config={k: v for k, v in meta["config"].items() if k not in new_keys})
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())
    old = classifier.load(path)
    assert old.isotonic is None and not old.config.title_channel and old.weights.centroids is None
    label, confidence, _top = old.predict("学校门口老师和学生太多")
    assert label == "教育文体" and confidence == pytest.approx(float(old.proba("学校门口老师和学生太多").max()))
    assert old.assess("Hello there, my school is closed").reason == ood.NOT_CHINESE
