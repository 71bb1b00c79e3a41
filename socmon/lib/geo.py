"""Geometry on the Earth's surface: the one great-circle distance every distance in socmon uses."""

import math

EARTH_RADIUS_M = 6_371_000

Point = tuple[float, float]  # (latitude, longitude) in degrees


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two (latitude, longitude) points in degrees.

    Accepts floats or Decimals (the database stores coordinates as Decimals).
    """
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
