"""Smart dispatch over the demo appeals: the duplicate (fingerprint) index, then the classifier when none is active."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from ..registry import DemoRun


def build(run: DemoRun) -> None:
    for command, args in (("dispatch_reindex", []), ("dispatch_train", ["--if-missing"])):
        out = StringIO()
        call_command(command, *args, stdout=out)
        for line in out.getvalue().splitlines():
            run.write(line)
