"""Styles live in static CSS files, never in a <style> block of a template: one place to check colour
contrast and sizes (GB/T 37668-2019), cached by the browser, and allowed by a strict Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)


def template_files() -> list[Path]:
    roots = [ROOT / "templates", *sorted((ROOT / "huying").glob("*/templates"))]
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".xml"})


def test_templates_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in template_files()}
    assert "templates/base.html" in names
    assert "huying/dashboards/templates/dashboards/index.html" in names


def test_no_template_has_a_style_block() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in template_files()
        for text in [path.read_text(encoding="utf-8")]
        for match in STYLE_BLOCK.finditer(text)
    ]
    assert not offenders, "move these <style> blocks to a file under static/css/: " + ", ".join(offenders)
