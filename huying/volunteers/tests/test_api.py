from __future__ import annotations

from huying.volunteers import errors
from tests.fixtures import problem

from .factories import need, stations, volunteer


def test_suggested_needs_and_the_claim_over_the_api(world, client_for):
    stations(world)
    first, second = volunteer(1, ["elder_care"]), volunteer(2, ["elder_care"])
    n = need(world, ["elder_care"])
    listed = client_for(first.user).get("/api/v1/volunteers/needs/suggested/")
    assert listed.status_code == 200 and listed.json()[0]["need"]["number"] == n.number
    assert "contact_phone" not in listed.json()[0]["need"]
    won = client_for(first.user).post(f"/api/v1/volunteers/needs/{n.pk}/claim/", {"version": n.version}, format="json")
    assert won.status_code == 200 and won.json()["status"] == "claimed"
    lost = client_for(second.user).post(
        f"/api/v1/volunteers/needs/{n.pk}/claim/", {"version": n.version}, format="json"
    )
    problem(lost, 409, errors.NEED_TAKEN)
    problem(client_for(world.citizen).get("/api/v1/volunteers/needs/suggested/"), 400, errors.NOT_A_VOLUNTEER)
