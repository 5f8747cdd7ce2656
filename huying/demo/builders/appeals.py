"""The appeals builder: a year of 滨州市12345 work orders, built through the services, on the divisions,
org tree, 派单目录 and accounts of ``appeals_structure``. With ``--if-empty`` it leaves a database that has
orders alone."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from huying.appeals.models import Appeal
from huying.appeals.states import Status

from ..registry import DemoRun
from .appeals_cases import DemoBuilder

# Loggers whose INFO lines, expected while old orders are generated, read like errors in the demo's output:
# a follow-up call months ago is past the rating window, so it is not recorded as a rating.
_QUIET = ["huying.appeals.ratings"]


@contextmanager
def quiet(names: list[str]) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def build(run: DemoRun) -> None:
    if run.if_empty and Appeal.objects.exists():
        run.write("数据库中已有工单，跳过演示数据生成。")
        return
    started = time.monotonic()
    with quiet(_QUIET):
        builder = DemoBuilder(seed=run.seed, log=run.write)
        statuses = builder.build(run.appeals)
    total = sum(statuses.values())
    run.write(run.success(f"演示数据已生成：数据库现有工单 {total} 件，用时 {time.monotonic() - started:.1f} 秒。"))
    for status in Status:
        if statuses.get(status.value):
            run.write(f"  {status.label}：{statuses[status.value]}")
