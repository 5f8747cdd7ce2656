"""The dashboard reads from the replica where there is one, and says how far behind it is."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.fixtures import World


@pytest.mark.django_db
def test_dashboard_shows_the_replica_lag(world: World, monkeypatch: Any) -> None:
    from huying.dashboards import views

    monkeypatch.setattr(views, "replica_lag_seconds", lambda: 0.4)
    client = Client()
    client.force_login(world.supervisor)
    assert "比主库滞后约 0.4 秒" in client.get("/dashboard/").content.decode()
