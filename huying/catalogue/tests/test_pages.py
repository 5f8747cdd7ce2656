from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.accounts.roles import Role
from huying.catalogue.models import ServiceItem

from .factories import Catalogue

pytestmark = pytest.mark.django_db


def test_list_shows_active_items(client: Client, catalogue: Catalogue) -> None:
    ServiceItem.objects.filter(pk=catalogue.bank.pk).update(is_active=False)
    response = client.get("/services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "食品经营许可" in html and "公司设立登记" in html and "银行开户" not in html


def test_search_text_and_pinyin(client: Client, catalogue: Catalogue) -> None:
    html = client.get("/services/", {"q": "spjy"}).content.decode()
    assert "食品经营许可" in html and "公司设立登记" not in html
    html = client.get("/services/", {"q": "设立"}).content.decode()
    assert "公司设立登记" in html and "食品经营许可" not in html


def test_filters_and_bad_filters(client: Client, catalogue: Catalogue) -> None:
    html = client.get("/services/", {"unit": catalogue.renshe.pk}).content.decode()
    assert "单位参保登记" in html and "食品经营许可" not in html
    html = client.get("/services/", {"kind": "person"}).content.decode()
    assert "银行开户" in html and "食品经营许可" not in html
    for bad in ({"unit": "abc"}, {"level": "galaxy"}, {"kind": "x"}, {"page": "zz"}):
        response = client.get("/services/", bad)
        assert response.status_code == 200
        assert "食品经营许可" not in response.content.decode() or "page" in bad


def test_pagination_keeps_query(client: Client, catalogue: Catalogue) -> None:
    from .factories import make_item

    for n in range(25):
        make_item(f"P-{n:03d}", f"排水许可{n}", catalogue.shenpi)
    html = client.get("/services/", {"q": "排水"}).content.decode()
    assert "q=%E6%8E%92%E6%B0%B4&amp;page=2" in html
    html2 = client.get("/services/", {"q": "排水", "page": 2}).content.decode()
    assert "排水许可24" in html2 or "排水许可9" in html2


def test_guide_renders(client: Client, catalogue: Catalogue) -> None:
    response = client.get(f"/services/items/{catalogue.food.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "可用电子证照免提交" in html and "营业执照" in html and "居民身份证" in html
    assert f'href="/applications/apply/item/{catalogue.food.code}/"' in html
    assert 'id="legal-days">20<' in html and 'id="promised-days">5<' in html
    # Stage 2 runs two departments side by side.
    assert "并联审批" in html and "消防意见" in html and "滨州市住房和城乡建设局" in html


def test_guide_unknown_or_inactive_is_404(client: Client, catalogue: Catalogue) -> None:
    assert client.get("/services/items/nope/").status_code == 404
    ServiceItem.objects.filter(pk=catalogue.food.pk).update(is_active=False)
    assert client.get(f"/services/items/{catalogue.food.code}/").status_code == 404


def test_bundle_pages_show_savings(client: Client, catalogue: Catalogue) -> None:
    html = client.get("/services/bundles/").content.decode()
    assert "开办企业" in html and "比逐项办理少交 2 份材料（25%），少填 4 项（44%）" in html
    response = client.get("/services/bundles/kaiban/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "比逐项办理少交 2 份材料（25%），少填 4 项（44%）" in html
    assert 'id="bundle-materials">6<' in html and 'id="bundle-fields">5<' in html
    assert 'href="/applications/apply/bundle/kaiban/"' in html
    assert client.get("/services/bundles/nope/").status_code == 404
    assert "开办企业" in client.get("/services/bundles/", {"q": "kbqy"}).content.decode()


def test_figures_page(client: Client, catalogue: Catalogue) -> None:
    response = client.get("/services/figures/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fig-total">4<' in html and "开办企业" in html and "25%" in html


def test_manage_pages_404_for_citizens_and_other_staff(client: Client, world: Any, catalogue: Catalogue) -> None:
    for user in (world.citizen, world.operator, world.handler):
        client.force_login(user)
        assert client.get("/services/manage/import/").status_code == 404
        assert client.get("/services/manage/export/").status_code == 404
    client.logout()
    assert client.get("/services/manage/import/").status_code == 302


def test_manage_pages_for_hall_manager(client: Client, world: Any, catalogue: Catalogue) -> None:
    from tests.fixtures import make_user

    manager = make_user("hall", Role.HALL_MANAGER, world.city)
    client.force_login(manager)
    assert client.get("/services/manage/import/").status_code == 200
    response = client.get("/services/manage/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
