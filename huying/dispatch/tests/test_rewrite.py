"""The rewritten test messages used to check the classifier's robustness (evaluation only)."""

from __future__ import annotations

from huying.dispatch import rewrite
from huying.dispatch.normalize import normalize_text

MESSAGE = "A市A1区K9县金鼎村的路灯坏了很久,晚上出行很危险。请C市有关部门尽快维修!谢谢。"


def test_place_codes_become_real_place_names() -> None:
    assert rewrite.real_places(MESSAGE).startswith("滨州市沾化区兰山区金鼎村")
    assert "济南市有关部门" in rewrite.real_places(MESSAGE)
    assert rewrite.real_places("A市") == "滨州市" and rewrite.real_places("A县") == "滨城区"
    # Letters without a table entry still map to a real place; plain Latin text is left alone.
    assert rewrite.real_places("Z3区") != "Z3区" and rewrite.real_places("LPG钢瓶、APP") == "LPG钢瓶、APP"


def test_every_variant_keeps_the_order_and_differs_from_the_source() -> None:
    out = rewrite.rewritten([MESSAGE, "B2区小区噪音扰民"])
    assert list(out) == list(rewrite.VARIANTS)
    for texts in out.values():
        assert len(texts) == 2 and texts[0] != MESSAGE
    assert len(out["one_line"][0]) == 40
    assert out["transcript"][0].startswith("来电人反映：滨州市")


def test_pasted_text_normalises_back_to_the_plain_rewrite() -> None:
    pasted = rewrite.rewritten([MESSAGE])["pasted"][0]
    assert "\u3000" in pasted and "\t" in pasted and "ｃ" not in pasted and "壞" in pasted
    # What the normaliser leaves is the plain rewrite, but for a space where the junk was.
    assert normalize_text(pasted).replace(" ", "") == normalize_text(rewrite.real_places(MESSAGE))
