"""One builder per loop; ``register_all()`` puts them in the demo's registry in the order they run."""

from __future__ import annotations


def register_all() -> None:
    from ..registry import builders
    from . import accounts, appeals, applications, catalogue, dispatch, halls, licences, ratings

    builders.register("appeals", appeals.build)  # divisions, org tree, 派单目录, accounts, a year of appeals
    builders.register("dispatch", dispatch.build)  # the duplicate index and the classifier
    builders.register("catalogue", catalogue.build)  # 实施清单 and 一件事
    builders.register("licences", licences.build)
    builders.register("halls", halls.build)
    builders.register("applications", applications.build)
    builders.register("ratings", ratings.build)
    builders.register("accounts", accounts.build)  # the account table, printed last
