"""GeoReport v2's two formats: JSON arrays/objects and XML, answers and errors alike."""

from __future__ import annotations

from typing import Any

# Only writing XML, never parsing any: the parser attacks bandit's B405 warns of do not apply.
from xml.etree.ElementTree import Element, SubElement, tostring  # nosec B405

from django.http import HttpResponse, JsonResponse

FORMATS = ("json", "xml")


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml(root: str, item: str | None, data: Any) -> bytes:
    top = Element(root)
    rows = data if item else [data]
    for row in rows:
        parent = SubElement(top, item) if item else top
        for key, value in row.items():
            child = SubElement(parent, key)
            if isinstance(value, list):  # attributes of a service definition
                for entry in value:
                    sub = SubElement(child, "attribute")
                    for k, v in entry.items():
                        SubElement(sub, k).text = _text(v)
            else:
                child.text = _text(value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="unicode").encode()


def respond(fmt: str, data: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML: ``<root><item>…</item>…</root>`` (``item`` None: one object as root)."""
    if fmt == "xml":
        return HttpResponse(_xml(root, item, data), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error list, one per problem: ``[{"code": 400, "description": "…"}]`` / ``<errors><error>…``."""
    rows = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt, rows, root="errors", item="error", status=status)
