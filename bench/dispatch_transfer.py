"""Smart dispatch in a new city: transfer and adaptation to another province (ADR 0005).

Three runs of ``manage.py dispatch_eval`` (one after another, so each times its predictions on a
core of its own), then one closing line:

(a) train.csv alone, scored on rows 201–616 of other_province_dev.csv (no local data);
(b) train.csv plus the first 200 rows of other_province_dev.csv as local corrections, scored on
    the same rows 201–616;
(c) train.csv scored on test.csv (in-domain).

``RESULT auto_precision_0=… auto_share_0=… macro_f1_200=… in_domain_auto_precision=… in_domain_auto_share=…``

Nothing is tuned on the scored rows: the model, its calibration and its threshold come from
cross-validation on the training rows. Data: ``$HUYING_DATA`` (default ``../shared/data``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("HUYING_DATA", ROOT.parent / "shared/data")) / "dispatch"
N = 200


def run(name: str, args: list[str]) -> dict[str, float]:
    command = [sys.executable, str(ROOT / "manage.py"), "dispatch_eval", "--train", str(DATA / "train.csv"), *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    print(f"==== ({name}) {' '.join(command[2:])}\n{done.stdout}{done.stderr}", flush=True)
    if done.returncode:
        raise SystemExit(f"({name}) failed")
    last = done.stdout.strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", last)}


def main() -> None:
    dev = str(DATA / "other_province_dev.csv")
    runs = {
        "a": ["--test", dev, "--skip-first", str(N)],
        "b": ["--adapt", dev, "--adapt-n", str(N), "--test-rest"],
        "c": ["--test", str(DATA / "test.csv")],
    }
    a, b, c = (run(name, args) for name, args in runs.items())
    print(
        f"RESULT auto_precision_0={a['auto_precision']:.4f} auto_share_0={a['auto_share']:.4f} "
        f"macro_f1_200={b['macro_f1']:.4f} in_domain_auto_precision={c['auto_precision']:.4f} "
        f"in_domain_auto_share={c['auto_share']:.4f}"
    )


if __name__ == "__main__":
    main()
