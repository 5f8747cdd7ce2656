"""One builder per loop; ``register_all()`` puts them in the demo's registry in the order they run.

A builder is registered only while every app it builds for is installed, so a deployment that
leaves an app out still has a demo of the rest.
"""

from __future__ import annotations

import importlib

from django.apps import apps

# (builder, the apps it needs), in the order they run.
BUILDERS: list[tuple[str, tuple[str, ...]]] = [
    ("appeals", ("huying.appeals",)),  # divisions, org tree, 派单目录, accounts, a year of appeals
    (
        "grids",
        ("huying.grids", "huying.appeals", "huying.applications"),
    ),  # grids, workers, households, a season of visits, tasks
    ("dispatch", ("huying.appeals", "huying.dispatch")),  # the duplicate index and the classifier
    ("catalogue", ("huying.catalogue",)),  # 实施清单 and 一件事
    ("licences", ("huying.licences",)),
    ("halls", ("huying.halls", "huying.catalogue")),
    ("applications", ("huying.applications", "huying.catalogue", "huying.licences")),
    ("ratings", ("huying.ratings", "huying.appeals", "huying.applications", "huying.halls")),
    ("points", ("huying.points", "huying.appeals")),  # schemes, merchants, an exchange day, the citizen's points
    ("deputies", ("huying.deputies", "huying.appeals")),  # contact point, draft, suggestions, mediation, filing
    ("opendays", ("huying.opendays", "huying.appeals")),  # a Weihai-style open day, its draw and forum
    ("community", ("huying.community", "huying.appeals")),  # villages, bodies, topics, the notice board
    ("volunteers", ("huying.volunteers", "huying.appeals")),  # stations, teams, volunteers, needs served
    # the 百事通 map's points and village full proxy through the one-window loop
    ("servicepoints", ("huying.servicepoints", "huying.catalogue", "huying.applications")),
    ("canteens", ("huying.canteens",)),  # Licang's canteens, elders, a month of meals and settlements
    ("accounts", ("huying.accounts",)),  # the account table, printed last
]


def register_all() -> None:
    from ..registry import builders

    for name, needs in BUILDERS:
        if all(apps.is_installed(app) for app in needs):
            module = importlib.import_module(f"{__name__}.{name}")
            builders.register(name, module.build)
