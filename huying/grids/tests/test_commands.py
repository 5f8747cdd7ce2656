"""grids_import and households_import from the command line: all or nothing, errors listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from huying.grids.models import Grid, Household

from .factories import AREA, make_id, register_xlsx, square

pytestmark = pytest.mark.django_db


def test_commands_import_grids_then_households(world: Any, tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"网格编码": AREA + "001", "网格名称": "一", "所属村（社区）": "黄河社区居委会"},
            "geometry": square(118, 37),
        }
    ]
    grids = tmp_path / "grids.geojson"
    grids.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    call_command("grids_import", str(grids))
    assert Grid.objects.filter(code=AREA + "001").exists()

    register = tmp_path / "register.xlsx"
    register.write_bytes(
        register_xlsx([[AREA + "001", "1", "黄河路1号", "", "", "", "张三", "户主", make_id(1), ""]]).read()
    )
    call_command("households_import", str(register))
    assert Household.objects.count() == 1


def test_commands_refuse_a_bad_file(world: Any, tmp_path: Path) -> None:
    bad = tmp_path / "grids.geojson"
    bad.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("grids_import", str(bad))
    with pytest.raises(CommandError):
        call_command("households_import", str(tmp_path / "missing.xlsx"))
