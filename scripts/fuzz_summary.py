"""Sum up schemathesis NDJSON reports: operations, requests, server errors, undeclared answers.

    python scripts/fuzz_summary.py var/fuzz/anonymous.ndjson var/fuzz/citizen.ndjson ...

Prints one line per report and ends with ``RESULT operations=<n> requests=<n> server_errors=<n>
undeclared=<n>``; exits 1 when either count is not zero or a report is missing or unfinished.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

UNDECLARED = {"status_code_conformance", "response_schema_conformance", "content_type_conformance"}


def summarise(path: Path) -> dict[str, object]:
    operations: set[str] = set()
    requests = 0
    server_errors: set[str] = set()
    undeclared: set[str] = set()
    finished = False
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        kind, body = next(iter(event.items()))
        if kind == "EngineFinished":
            finished = True
        if kind != "ScenarioFinished" or body.get("status") == "skip":
            continue
        recorder = body["recorder"]
        operations.add(recorder["label"])
        for case_id, interaction in recorder.get("interactions", {}).items():
            requests += 1
            response = interaction.get("response") or {}
            if int(response.get("status_code") or 0) >= 500:
                server_errors.add(f"{recorder['label']} {case_id}")
        for case_id, checks in recorder.get("checks", {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                if check["name"] == "not_a_server_error":
                    server_errors.add(f"{recorder['label']} {case_id}")
                elif check["name"] in UNDECLARED:
                    undeclared.add(f"{recorder['label']} {check['name']}")
    return {
        "operations": operations,
        "requests": requests,
        "server_errors": server_errors,
        "undeclared": undeclared,
        "finished": finished,
    }


def main(paths: list[str]) -> int:
    operations: set[str] = set()
    requests = 0
    server_errors = 0
    undeclared = 0
    complete = True
    for name in paths:
        path = Path(name)
        if not path.exists():
            print(f"{path.stem}: no report")
            complete = False
            continue
        result = summarise(path)
        ops, errors, wrong = result["operations"], result["server_errors"], result["undeclared"]
        assert isinstance(ops, set) and isinstance(errors, set) and isinstance(wrong, set)
        operations |= ops
        requests += int(str(result["requests"]))
        server_errors += len(errors)
        undeclared += len(wrong)
        complete = complete and bool(result["finished"])
        state = "" if result["finished"] else " (unfinished: wall limit reached)"
        print(
            f"{path.stem}: operations={len(ops)} requests={result['requests']} "
            f"server_errors={len(errors)} undeclared={len(wrong)}{state}"
        )
        for item in sorted(errors | wrong):
            print(f"  {item}")
    print(
        f"RESULT operations={len(operations)} requests={requests} server_errors={server_errors} undeclared={undeclared}"
    )
    return 0 if complete and server_errors == 0 and undeclared == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
