"""GB/T 2260 codes for the places in our seeds (GB/T 2260 as in python-stdnum's loc.dat and 民政部 data), with validity dates.

A deployment loads the full 民政部 table the same way; these rows are the ones every test and
the demo rely on.
"""

from __future__ import annotations

import datetime as dt

D = dt.date
# (code, name, level, parent code, valid_from, valid_to, is_statistical)
DIVISIONS: list[tuple[str, str, str, str | None, dt.date | None, dt.date | None, bool]] = [
    ("370000", "山东省", "province", None, None, None, False),
    ("370100", "济南市", "city", "370000", None, None, False),
    ("370113", "长清区", "county", "370100", D(2001, 1, 1), None, False),
    ("370181", "章丘市", "county", "370100", D(1992, 1, 1), D(2016, 12, 31), False),
    ("370114", "章丘区", "county", "370100", D(2016, 1, 1), None, False),
    ("370200", "青岛市", "city", "370000", None, None, False),
    ("370213", "李沧区", "county", "370200", D(1994, 1, 1), None, False),
    ("370300", "淄博市", "city", "370000", None, None, False),
    ("370323", "沂源县", "county", "370300", D(1989, 1, 1), None, False),
    ("370600", "烟台市", "city", "370000", D(1983, 1, 1), None, False),
    ("370602", "芝罘区", "county", "370600", D(1983, 1, 1), None, False),
    ("370685", "招远市", "county", "370600", D(1991, 1, 1), None, False),
    ("371000", "威海市", "city", "370000", D(1987, 1, 1), None, False),
    ("371002", "环翠区", "county", "371000", D(1987, 1, 1), None, False),
    ("371072", "威海经济技术开发区", "county", "371000", None, None, True),
    ("371600", "滨州市", "city", "370000", D(2000, 1, 1), None, False),
    ("371602", "滨城区", "county", "371600", D(2000, 1, 1), None, False),
    ("371626", "邹平县", "county", "371600", D(2000, 1, 1), D(2018, 12, 31), False),
    ("371681", "邹平市", "county", "371600", D(2018, 1, 1), None, False),
]


def load_reference_divisions() -> int:
    from .models import Division

    by_code: dict[str, Division] = {}
    for code, name, level, parent, valid_from, valid_to, statistical in DIVISIONS:
        division, _ = Division.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={
                "name": name,
                "level": level,
                "parent": by_code.get(parent) if parent else None,
                "valid_to": valid_to,
                "is_statistical": statistical,
            },
        )
        by_code[code] = division
    return len(by_code)
