"""Nearest points on the ground through a shapely STRtree: plain Python (numpy, shapely; no Django),
so the benchmark runs it alone. See spatial.py for how the register uses it (docs/adr/0027-service-points.md).

Points are indexed in an equirectangular plane (x = longitude·cos φ₀, y = latitude, φ₀ the mean
latitude of the points). The tree's nearest point in that plane gives a radius; every point the tree
finds within that radius (widened by the plane's largest scale error over the indexed latitudes) is
ranked by great-circle distance, so the answer is the true nearest on the ground, not the plane's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_many_km(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@dataclass(frozen=True)
class Found:
    id: int
    km: float


class PointIndex:
    """An STRtree over points; ``nearest`` answers from the tree, ranking a few candidates on the sphere."""

    def __init__(self, ids: Sequence[int], lons: Sequence[float], lats: Sequence[float]) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.lons = np.asarray(lons, dtype=float)
        self.lats = np.asarray(lats, dtype=float)
        self.lat0 = float(self.lats.mean()) if len(self.lats) else 36.0
        self.scale = math.cos(math.radians(self.lat0))
        # The plane's largest relative error in east-west distance over the indexed latitudes (±1°).
        if len(self.lats):
            lo, hi = float(self.lats.min()) - 1, float(self.lats.max()) + 1
            worst = max(abs(math.cos(math.radians(v)) / self.scale - 1) for v in (lo, hi, self.lat0))
        else:
            worst = 0.0
        self.slack = 1 + worst + 0.01
        xs = self.lons * self.scale
        self.tree = shapely.STRtree(shapely.points(xs, self.lats))
        # The typical spacing of the points in the plane: the first search radius.
        if len(xs):
            area = max(float(np.ptp(xs)) * float(np.ptp(self.lats)), 1e-12)
            self.radius0 = 1.2 * math.sqrt(area / len(xs))
        else:
            self.radius0 = 0.0

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(self, lon: float, lat: float, k: int = 1) -> list[Found]:
        """The ``k`` points nearest to (lon, lat) on the ground, nearest first.

        One ``dwithin`` query at the index's typical spacing answers most calls; when it finds too
        few points the tree's nearest in the plane sets the radius, and the radius doubles until
        every point left outside it is farther on the ground than the ``k``-th found.
        """
        n = len(self.ids)
        if not n:
            return []
        k = min(k, n)
        query = shapely.Point(lon * self.scale, lat)
        radius = self.radius0 * math.sqrt(k)
        hits = self.tree.query(query, predicate="dwithin", distance=radius)
        if len(hits) < k:
            _hit, distance = self.tree.query_nearest(query, return_distance=True)
            radius = max(radius, float(distance[0]) * self.slack + 1e-9)
            hits = self.tree.query(query, predicate="dwithin", distance=radius)
        while True:
            if len(hits) >= k:
                found = self._rank(lon, lat, hits, k)
                # Points outside the radius are at least this far on the ground.
                if found[-1].km <= radius / self.slack * KM_PER_DEGREE or len(hits) == n:
                    return found
            radius *= 2
            hits = self.tree.query(query, predicate="dwithin", distance=radius)

    def _rank(self, lon: float, lat: float, hits: np.ndarray, k: int) -> list[Found]:
        if len(hits) <= 16:  # a few candidates: plain floats beat numpy's per-call cost
            ranked = sorted((haversine_km(lon, lat, float(self.lons[i]), float(self.lats[i])), int(i)) for i in hits)
            return [Found(int(self.ids[i]), km) for km, i in ranked[:k]]
        km = haversine_many_km(lon, lat, self.lons[hits], self.lats[hits])
        order = np.argsort(km, kind="stable")[:k]
        return [Found(int(self.ids[hits[i]]), float(km[i])) for i in order]
