"""The 百事通 map's nearest-point search at a province's size.

``.venv/bin/python bench/map.py [--points 100000] [--queries 100000] [--scan-sample 2000]``.
Prints figures, asserts nothing.

100,000 service points are drawn at random over Shandong (lon 114.8–122.7, lat 34.4–38.4; a fixed
seed), the register's index (``huying.servicepoints.nearest.PointIndex``: an STRtree in an
equirectangular plane, candidates ranked on the sphere) is built once, and 100,000 random
locations are answered one call at a time, as the map page does. The baseline is a linear scan:
the great-circle distance to every point, vectorised with numpy (the fastest scan Python offers),
then its argmin; it is timed on the first ``--scan-sample`` queries (a scan of all 100,000 would
take minutes and tell nothing more), and its answers are compared with the index's on that sample
(``agree`` counts equal nearest points; a tie at the same distance counts as agreement).

Times are CPU time of this process (``time.process_time``), so other work on a busy host
changes both alike. The last line is ``RESULT nearest_ratio=… nearest_us=…``: per-query index time
over per-query scan time, and the index's microseconds per query.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huying.servicepoints.nearest import PointIndex, haversine_many_km

AREA = (114.8, 34.4, 122.7, 38.4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--scan-sample", type=int, default=2_000)
    args = parser.parse_args()
    rng = np.random.default_rng(20261207)
    lons = rng.uniform(AREA[0], AREA[2], args.points)
    lats = rng.uniform(AREA[1], AREA[3], args.points)
    q_lons = rng.uniform(AREA[0], AREA[2], args.queries)
    q_lats = rng.uniform(AREA[1], AREA[3], args.queries)

    started = time.process_time()
    index = PointIndex(list(range(args.points)), lons, lats)
    build_s = time.process_time() - started
    print(f"points: {args.points:,}  index built in {build_s:.2f} s CPU")

    started = time.process_time()
    found = [index.nearest(float(x), float(y))[0] for x, y in zip(q_lons, q_lats, strict=True)]
    tree_s = time.process_time() - started
    tree_us = tree_s / args.queries * 1e6
    print(f"STRtree nearest: {args.queries:,} queries in {tree_s:.2f} s CPU = {tree_us:.1f} µs per query")

    sample = min(args.scan_sample, args.queries)
    agree = 0
    started = time.process_time()
    scan: list[tuple[int, float]] = []
    for x, y in zip(q_lons[:sample], q_lats[:sample], strict=True):
        km = haversine_many_km(float(x), float(y), lons, lats)
        best = int(np.argmin(km))
        scan.append((best, float(km[best])))
    scan_s = time.process_time() - started
    scan_us = scan_s / sample * 1e6
    for (best, km), got in zip(scan, found[:sample], strict=True):
        agree += int(got.id == best or abs(got.km - km) < 1e-9)
    print(
        f"linear scan (numpy, all {args.points:,} points): {sample:,} queries in {scan_s:.2f} s CPU = {scan_us:.1f} µs per query"
    )
    print(f"agree with the scan: {agree:,} / {sample:,}")
    mean_km = float(np.mean([f.km for f in found]))
    print(f"mean distance to the nearest point: {mean_km:.2f} km")
    ratio = tree_us / scan_us
    print(f"RESULT nearest_ratio={ratio:.4f} nearest_us={tree_us:.1f}")


if __name__ == "__main__":
    main()
