"""The English catalogue: complete, compiled from the committed .po, and used by the pages.

zh-Hans is the source language (the msgids); English is the second locale. `make messages-check`
(part of `make test`) says when the code has text the catalogue lacks; these tests say the
committed .mo is the committed .po compiled, and that a person who picks English gets it.
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _back_to_chinese() -> Iterator[None]:
    """LocaleMiddleware activates the request's language in this thread and leaves it active."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line))


def po_entries(path: Path) -> list[dict[str, Any]]:
    """The live entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]) and flags."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {"flags": ""}
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": ""}, ""
        elif line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue  # comments and obsolete (#~) entries
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _, rest = line.partition(" ")
            entry[key] = _unquote(rest)
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = [e for e in po_entries(LOCALE / "django.po") if e["msgid"]]
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_committed_mo_is_the_committed_po_compiled() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po_entries(LOCALE / "django.po"):
        if not entry["msgid"]:
            continue
        if "msgid_plural" in entry:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def _english(msgid: str) -> str:
    with translation.override("en"):
        text = translation.gettext(msgid)
    assert text != msgid, f"{msgid} has no English translation"
    return text


def test_a_browser_asking_for_english_gets_english_pages(db: Any) -> None:
    response = Client().get("/services/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert _english("办事指南") in body
    assert _english("好差评公开") in body


def test_the_footer_switch_changes_language_and_back(db: Any) -> None:
    client = Client()
    assert "好差评公开" in client.get("/services/").content.decode()  # zh-Hans by default
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/services/"})
    assert response.status_code == 302
    english = client.get("/services/").content.decode()
    assert _english("好差评公开") in english
    assert "好差评公开" not in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/services/"})
    assert "好差评公开" in client.get("/services/").content.decode()
