"""ZIP centroids from the offline `zipcodes` data set (GeoNames coordinates, CC BY 4.0) and distances."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.055  # 2 * pi * R / 360
METERS_PER_MILE = 1609.344
ZIP_RE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def clean_zip(value: str | None) -> str | None:
    """The five-digit ZIP in a ZIP or ZIP+4 ("97401-1234"); None when it is not one."""
    value = (value or "").strip()[:10]
    head = value.split("-", 1)[0]
    return head if ZIP_RE.match(head) else None


@lru_cache(maxsize=4096)
def zip_centroid(zip_code: str | None) -> Point | None:
    """The centroid of a US ZIP code; None for an unknown or malformed one."""
    import zipcodes

    code = clean_zip(zip_code)
    if code is None:
        return None
    try:
        found = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    for row in found:
        try:
            return Point(float(row["lat"]), float(row["long"]))
        except (KeyError, TypeError, ValueError):
            continue
    return None


def zip_place(zip_code: str) -> tuple[str, str]:
    """(city, state) of a ZIP code, or empty strings."""
    import zipcodes

    code = clean_zip(zip_code)
    rows = zipcodes.matching(code) if code else []
    return (rows[0].get("city", "").title(), rows[0].get("state", "")) if rows else ("", "")


def miles_per_degree_lon(latitude: float) -> float:
    return MILES_PER_DEGREE_LAT * math.cos(math.radians(latitude))


def bounding_box(center: Point, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle of `miles` around `center`."""
    dlat = miles / MILES_PER_DEGREE_LAT
    dlon = miles / max(miles_per_degree_lon(center.latitude), 0.01)
    return center.latitude - dlat, center.latitude + dlat, center.longitude - dlon, center.longitude + dlon


def haversine_miles(a: Point, b: Point) -> float:
    """Great-circle distance in miles."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))
