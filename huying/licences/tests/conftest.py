from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def licence_key_dir(settings: Any, tmp_path: Any, monkeypatch: Any) -> Any:
    """Every test signs with keys in its own folder (never var/ or the repository)."""
    settings.HUYING_LICENCE_KEY_DIR = str(tmp_path / "licence-keys")
    monkeypatch.delenv("HUYING_LICENCE_SIGNING_KEYS", raising=False)
    return tmp_path / "licence-keys"


def id_with_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


ISSUER = "91110000600037341L"


class LicenceWorld:
    pass


@pytest.fixture
def lw(world: Any) -> Any:
    """The shared world plus a hall, a clerk, a reviewer, an admin and two citizens with ID numbers."""
    from huying.accounts.roles import Role
    from huying.licences import services, types
    from huying.organisations.models import OrgUnit
    from huying.organisations.services import org_unit_create
    from tests.fixtures import make_user

    w = LicenceWorld()
    w.world = world
    w.hall = org_unit_create(name="滨州市政务服务中心", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    w.clerk = make_user("clerk", Role.CLERK, w.hall, display_name="刘窗口")
    w.reviewer = make_user("reviewer", Role.REVIEWER, w.hall, display_name="陈审批")
    w.admin = make_user("ladmin", Role.ADMIN, world.city, display_name="管理员")
    w.holder = world.citizen
    w.holder.id_number = id_with_check("37160220010101123")
    w.holder.save(update_fields=["id_number"])
    w.other = world.other_citizen
    w.other.id_number = id_with_check("37162520020202456")
    w.other.save(update_fields=["id_number"])
    w.licence = services.licence_issue(
        type_code=types.ID_CARD,
        holder_code=w.holder.id_number,
        holder_name="张三",
        issuer_name="滨州市公安局滨城分局",
        issuer_credit_code=ISSUER,
        data={"住址": "山东省滨州市滨城区黄河五路1号"},
    )
    w.other_licence = services.licence_issue(
        type_code=types.ID_CARD,
        holder_code=w.other.id_number,
        holder_name="李四",
        issuer_name="滨州市公安局滨城分局",
        issuer_credit_code=ISSUER,
    )
    return w
