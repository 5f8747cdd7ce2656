"""Where smart dispatch's code lives: reads in selectors/suggestion (still importable from services),
the error codes it answers with in errors."""

from __future__ import annotations

from typing import Any

import pytest

from huying.core.errors import CATALOGUES, ValidationFailed
from huying.dispatch import errors, selectors, services, suggestion


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("suggest", suggestion),
        ("keyword_scores", suggestion),
        ("KeywordIndex", suggestion),
        ("Suggestion", suggestion),
        ("model_to_bytes", suggestion),
        ("model_from_bytes", suggestion),
        ("active_model", suggestion),
        ("catalogue_changed", suggestion),
        ("similar_open_appeals", selectors),
        ("SimilarAppeal", selectors),
        ("reply_warnings", selectors),
        ("training_rows", selectors),
    ],
)
def test_reads_that_moved_are_still_importable_from_services(name: str, module: Any) -> None:
    assert getattr(services, name) is getattr(module, name)


def test_the_codes_dispatch_raises_are_catalogued() -> None:
    assert CATALOGUES["dispatch"] is errors.codes
    assert set(errors.codes.codes) == {"not_enough_history", "key_problem_closed", "already_in_key_problem"}


def test_training_without_history_says_so_with_its_code(db: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.classifier_train()
    assert exc.value.code == errors.NOT_ENOUGH_HISTORY
