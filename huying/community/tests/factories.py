"""A Lishan-style village built as a deployment would configure it: 党小组 → 党支部 decide, the
两委 carry out; a 村民代表会议 of 20 with its 2/3 quorum; a 村务监督委员会 of three."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.community.models import Body, CommunityProfile, ConsultPath, PathStep
from huying.community.setup import Seat, body_create, community_configure, path_create
from huying.organisations.models import OrgUnit

PASSWORD = "pass-1234-huying"


def person(username: str, display: str = "") -> User:
    found = User.objects.filter(username=username).first()
    return found or User.objects.create_user(username=username, password=PASSWORD, display_name=display or username)


@dataclass
class Village:
    unit: OrgUnit
    profile: CommunityProfile
    staff: User
    group: Body
    branch: Body
    committees: Body
    representatives: Body
    supervisory: Body
    path: ConsultPath  # 党小组 → 支部 (default)
    assembly_path: ConsultPath  # 村民代表会议
    supervisor: User
    reps: list[User]


def village(world: Any, unit: OrgUnit | None = None, *, liaison: User | None = None) -> Village:
    unit = unit or world.community
    profile = community_configure(
        unit, slug="dongguan", adult_residents=300, households=120, board_location="村委会门口公开栏"
    )
    staff = person("cunwu", "王文书")
    RoleAssignment.objects.create(user=staff, role=Role.COMMUNITY_STAFF, org_unit=unit)
    members = [liaison or person("dangyuan1", "李党员")] + [person(f"dangyuan{i}") for i in range(2, 6)]
    group = body_create(unit, Body.Kind.PARTY_GROUP, "第一党小组", [Seat(u.display_name, u) for u in members])
    branch_users = [person(f"zhibu{i}") for i in range(1, 8)]
    branch = body_create(unit, Body.Kind.BRANCH, "村党支部", [Seat(u.username, u) for u in branch_users])
    committees = body_create(unit, Body.Kind.COMMITTEES, "村两委", [Seat(f"两委{i}") for i in range(1, 6)])
    reps = [person(f"daibiao{i}") for i in range(1, 21)]
    representatives = body_create(
        unit,
        Body.Kind.REPRESENTATIVES,
        "村民代表会议",
        [Seat(u.username, u, is_woman=i % 3 == 0) for i, u in enumerate(reps)],
    )
    supervisor = person("jianwei", "赵监委")
    supervisory = body_create(
        unit, Body.Kind.SUPERVISORY, "村务监督委员会", [Seat("赵监委", supervisor), Seat("监委2"), Seat("监委3")]
    )
    path = path_create(
        unit,
        "党员问事→小组理事→支部议事→两委办事",
        [(group, PathStep.Purpose.DELIBERATE), (branch, PathStep.Purpose.DECIDE)],
        committees,
        is_default=True,
    )
    assembly = path_create(unit, "村民代表会议决定", [(representatives, PathStep.Purpose.DECIDE)], committees)
    return Village(
        unit, profile, staff, group, branch, committees, representatives, supervisory, path, assembly, supervisor, reps
    )
