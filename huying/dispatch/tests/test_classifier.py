"""The classifier on small synthetic data: train, predict, confidences, save/load, format versions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from huying.dispatch import classifier
from huying.dispatch.classifier import ModelConfig, ModelFormatError

TOPICS = {
    "交通运输": ["公交车", "地铁站", "出租车", "红绿灯", "公交线路"],
    "教育文体": ["学校", "老师", "学生", "幼儿园", "课外培训"],
    "环境保护": ["噪音", "污水", "油烟", "垃圾焚烧", "空气污染"],
}
TAILS = ["问题严重，请尽快处理", "希望有关部门管一管", "已经反映多次没有结果", "影响附近居民生活", "请领导重视"]


def corpus() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, words in TOPICS.items():
        for i, word in enumerate(words):
            for j, tail in enumerate(TAILS):
                texts.append(f"A{i + j}区{word}{'的' * (j % 2)}{tail}")
                labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def model() -> classifier.Model:
    texts, labels = corpus()
    return classifier.train(texts, labels, ModelConfig(cv_folds=3))


def test_predicts_the_topic_with_calibrated_confidence(model: classifier.Model) -> None:
    label, confidence, top3 = model.predict("学校门口老师和学生太多，请处理")
    assert label == "教育文体"
    assert 0.0 <= confidence <= 1.0 and top3[0] == (label, confidence)
    assert len(top3) == 3
    confidences = [c for _, c in top3]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert sum(model.proba("学校")) == pytest.approx(1.0)


def test_predict_many_and_traditional_input(model: classifier.Model) -> None:
    results = model.predict_many(["公交車站紅綠燈壞了", "小区附近污水横流，噪音扰民", ""])
    assert [r[0] for r in results[:2]] == ["交通运输", "环境保护"]
    assert 0.0 <= results[2][1] <= 1.0  # an empty message still gets an answer


def test_metadata(model: classifier.Model) -> None:
    meta = model.metadata
    assert meta["n_samples"] == 75 and meta["classes"] == sorted(TOPICS)
    assert meta["format_version"] == classifier.FORMAT_VERSION and meta["trained_at"]
    assert meta["cv_folds"] == 3 and 0.0 <= meta["cv_macro_f1"] <= 1.0
    assert model.auto_threshold is None or 0.0 <= model.auto_threshold <= 1.0
    assert model.predict_top("学校", k=2) == model.predict("学校")[2][:2]


def test_save_load_round_trip(model: classifier.Model, tmp_path: Path) -> None:
    path = tmp_path / "model.joblib"  # the name is used as given
    classifier.save(model, path)
    loaded = classifier.load(path)
    assert loaded.classes == model.classes and loaded.config == model.config
    assert loaded.metadata["trained_at"] == model.metadata["trained_at"]
    for text in ["地铁站太挤", "油烟污染", "幼儿园收费"]:
        assert loaded.predict(text) == model.predict(text)


def _rewrite_meta(path: Path, **changes: object) -> None:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    meta = json.loads(str(arrays["meta"][()]))
    meta.update(changes)
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())


def test_refuses_other_format_versions(model: classifier.Model, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    classifier.save(model, path)
    _rewrite_meta(path, format_version=classifier.FORMAT_VERSION + 1)
    with pytest.raises(ModelFormatError, match="format"):
        classifier.load(path)


def test_refuses_files_that_are_not_models(tmp_path: Path) -> None:
    path = tmp_path / "junk.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelFormatError):
        classifier.load(path)


def test_fast_path_matches_sklearn_tfidf() -> None:
    """The single-message feature path gives the same scores as a batch TF-IDF transform."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, labels = corpus()
    cfg = ModelConfig(cv_folds=0)
    m = classifier.train(texts, labels, cfg)
    docs = [classifier._feature_text(t, cfg) for t in texts[:10]]
    vec = TfidfVectorizer(analyzer=lambda s: classifier._char_ngrams(s, cfg.ngram_max), min_df=cfg.min_df)
    vec.fit([classifier._feature_text(t, cfg) for t in texts])
    order = [vec.vocabulary_[t] for t in m.weights.terms]
    batch = vec.transform(docs)[:, order] @ m.weights.coef + m.weights.intercept
    single = np.array([m.weights.scores_one(d, cfg) for d in docs])
    np.testing.assert_allclose(single, batch, rtol=1e-4, atol=1e-5)


def test_place_codes_are_masked_in_features() -> None:
    cfg = ModelConfig()
    assert classifier._feature_text("A市A12区和K9县，B3栋2019年", cfg) == "某市某区和某县,b0栋0000年"


def test_rejects_bad_training_input() -> None:
    with pytest.raises(ValueError):
        classifier.train(["a", "b"], ["x"])
    with pytest.raises(ValueError):
        classifier.train(["a", "b"], ["x", "x"])
