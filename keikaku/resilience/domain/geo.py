"""Sites (事業実施箇所) on the map: validation of points and GeoJSON geometries, and GeoJSON
output that follows RFC 7946.

RFC 7946 facts this module relies on:

- a position is ``[longitude, latitude]`` (optionally a third number, the height), in WGS 84
  degrees: **longitude first**; a common mistake is to write ``[latitude, longitude]``, which
  for Japan puts the point in the Antarctic Ocean or off the globe, so we say so explicitly;
- a LineString has two or more positions; a Polygon's rings are closed (first position equal
  to the last) and have four or more positions;
- exterior rings are counterclockwise and holes clockwise (the right-hand rule, §3.1.6);
  parsers should not reject wrong winding, so input is accepted and *rewound* on output;
- no ``crs`` member (§4); coordinates are WGS 84.

Every message says which part of the input is wrong and what to do.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from keikaku.core.domain.i18n import _

Position = tuple[float, float]
COORD_DIGITS = 6  # ≈ 0.1 m; RFC 7946 §11.2 recommends no more than needed


@dataclass(frozen=True)
class BoundingBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def describe(self) -> str:
        return _("経度 %(w)s～%(e)s、緯度 %(s)s～%(n)s") % {
            "w": _fmt(self.min_lon),
            "e": _fmt(self.max_lon),
            "s": _fmt(self.min_lat),
            "n": _fmt(self.max_lat),
        }


# Japan's extreme points: Yonaguni (122.93° E), Minamitorishima (153.99° E), Okinotorishima
# (20.42° N), Etorofu (45.56° N); rounded outwards.
JAPAN_BOUNDS = BoundingBox(min_lon=122.0, min_lat=20.0, max_lon=154.0, max_lat=46.0)

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
GEOMETRY_LABELS = {
    "Point": "点",
    "MultiPoint": "複数の点",
    "LineString": "線",
    "MultiLineString": "複数の線",
    "Polygon": "面",
    "MultiPolygon": "複数の面",
}


class SiteError(ValueError):
    """A site's location is invalid; ``problems`` lists every fault found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def bbox_error(bbox: BoundingBox) -> str | None:
    """A message if the city's bounding box is not a box inside Japan's bounds."""
    if not (bbox.min_lon < bbox.max_lon and bbox.min_lat < bbox.max_lat):
        return _("市域の範囲は、西端 < 東端、南端 < 北端 になるように入力してください。")
    corners = ((bbox.min_lon, bbox.min_lat), (bbox.max_lon, bbox.max_lat))
    if not all(JAPAN_BOUNDS.contains(lon, lat) for lon, lat in corners):
        return _(
            "市域の範囲が日本の範囲（%(japan)s）の外にあります。経度と緯度を確かめてください。"
        ) % {"japan": JAPAN_BOUNDS.describe()}
    return None


def _check_position(
    lon: float, lat: float, *, where: str, city: BoundingBox | None, problems: list[str]
) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        problems.append(where + _("座標に数値でない値があります。"))
        return
    if JAPAN_BOUNDS.contains(lon, lat):
        if city is not None and not city.contains(lon, lat):
            problems.append(
                where
                + _(
                    "経度 %(lon)s、緯度 %(lat)s は市域の範囲（%(bbox)s）の外です。"
                    "場所を確かめるか、市域の範囲の設定を見直してください。"
                )
                % {"lon": _fmt(lon), "lat": _fmt(lat), "bbox": city.describe()}
            )
        return
    if JAPAN_BOUNDS.contains(lat, lon):
        problems.append(
            where
            + _(
                "経度と緯度が逆になっています（経度 %(lon)s、緯度 %(lat)s）。"
                "GeoJSON の座標は [経度, 緯度] の順に書きます（例: [139.39, 35.93]）。"
            )
            % {"lon": _fmt(lon), "lat": _fmt(lat)}
        )
        return
    problems.append(
        where
        + _(
            "経度 %(lon)s、緯度 %(lat)s は日本の範囲（%(japan)s）の外です。座標を確かめてください。"
        )
        % {"lon": _fmt(lon), "lat": _fmt(lat), "japan": JAPAN_BOUNDS.describe()}
    )


def point_problems(
    *, lat: float | None, lon: float | None, city: BoundingBox | None = None
) -> list[str]:
    """Problems of a point given as separate latitude and longitude fields."""
    if lat is None and lon is None:
        return []
    if lat is None or lon is None:
        return [_("緯度と経度は両方とも入力してください。")]
    problems: list[str] = []
    if JAPAN_BOUNDS.contains(lat, lon) and not JAPAN_BOUNDS.contains(lon, lat):
        return [
            _(
                "緯度 %(lat)s と経度 %(lon)s が逆になっています。"
                "鶴ヶ島市なら緯度は 35.9 前後、経度は 139.4 前後です。"
            )
            % {"lat": _fmt(lat), "lon": _fmt(lon)}
        ]
    _check_position(lon, lat, where="", city=city, problems=problems)
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positions(
    value: object, *, where: str, city: BoundingBox | None, problems: list[str]
) -> list[list[float]]:
    if not isinstance(value, list):
        problems.append(where + _("座標の並びは配列（[...]）で書いてください。"))
        return []
    out: list[list[float]] = []
    for i, pos in enumerate(value, start=1):
        out.append(
            _position(
                pos, where=where + _("%(n)s番目の点: ") % {"n": i}, city=city, problems=problems
            )
        )
    return out


def _position(
    value: object, *, where: str, city: BoundingBox | None, problems: list[str]
) -> list[float]:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(_is_number(v) for v in value)
    ):
        problems.append(
            where
            + _("座標は [経度, 緯度] の形の数値の配列で書いてください（例: [139.39, 35.93]）。")
        )
        return []
    lon, lat = float(value[0]), float(value[1])
    _check_position(lon, lat, where=where, city=city, problems=problems)
    return [float(v) for v in value]


def _line(
    value: object, *, where: str, city: BoundingBox | None, problems: list[str]
) -> list[list[float]]:
    positions = _positions(value, where=where, city=city, problems=problems)
    if isinstance(value, list) and len(value) < 2:
        problems.append(where + _("線には2つ以上の点が必要です。"))
    return positions


def _polygon(
    value: object, *, where: str, city: BoundingBox | None, problems: list[str]
) -> list[list[list[float]]]:
    if not isinstance(value, list) or not value:
        problems.append(where + _("面は、輪（閉じた点の並び）の配列で書いてください。"))
        return []
    rings: list[list[list[float]]] = []
    for i, ring in enumerate(value, start=1):
        label = _("外周") if i == 1 else _("%(n)s番目の穴") % {"n": i - 1}
        ring_where = where + label + ": "
        positions = _positions(ring, where=ring_where, city=city, problems=problems)
        if isinstance(ring, list):
            if len(ring) < 4:
                problems.append(
                    ring_where + _("輪には4つ以上の点（最初と最後は同じ点）が必要です。")
                )
            elif positions and positions[0] and positions[-1] and positions[0] != positions[-1]:
                problems.append(
                    ring_where
                    + _("輪が閉じていません。最後の点を最初の点と同じ座標にしてください。")
                )
        rings.append(positions)
    return rings


def parse_geometry(value: object, *, city: BoundingBox | None = None) -> dict[str, Any]:
    """Validate a GeoJSON geometry (or a Feature holding one) given as text or decoded JSON.

    Returns the geometry with exterior rings counterclockwise and holes clockwise; raises
    :class:`SiteError` listing every problem.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise SiteError(
                [
                    _(
                        "GeoJSON として読めません（%(line)s行目 %(col)s文字目）。書式を確かめてください。"
                    )
                    % {"line": exc.lineno, "col": exc.colno}
                ]
            ) from None
    if isinstance(value, Mapping) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, Mapping):
        raise SiteError(
            [
                _(
                    "GeoJSON のジオメトリ（type と coordinates を持つオブジェクト）を入力してください。"
                )
            ]
        )
    kind = value.get("type")
    if kind not in GEOMETRY_TYPES:
        raise SiteError(
            [
                _("ジオメトリの種類「%(type)s」は使えません。%(allowed)s のどれかにしてください。")
                % {"type": kind, "allowed": "、".join(GEOMETRY_TYPES)}
            ]
        )
    if "coordinates" not in value:
        raise SiteError([_("coordinates（座標）がありません。")])
    coords = value["coordinates"]
    problems: list[str] = []
    result: Any
    if kind == "Point":
        result = _position(coords, where="", city=city, problems=problems)
    elif kind == "MultiPoint":
        result = _positions(coords, where="", city=city, problems=problems)
        if isinstance(coords, list) and not coords:
            problems.append(_("点が1つもありません。"))
    elif kind == "LineString":
        result = _line(coords, where="", city=city, problems=problems)
    elif kind == "MultiLineString":
        result = _multi(coords, _line, _("%(n)s本目の線: "), city, problems)
    elif kind == "Polygon":
        result = _polygon(coords, where="", city=city, problems=problems)
    else:
        result = _multi(coords, _polygon, _("%(n)s番目の面: "), city, problems)
    if problems:
        raise SiteError(problems)
    return rewind({"type": str(kind), "coordinates": result})


def _multi(
    coords: object,
    parse: Any,
    label: str,
    city: BoundingBox | None,
    problems: list[str],
) -> list[Any]:
    if not isinstance(coords, list) or not coords:
        problems.append(_("座標の並びは空でない配列で書いてください。"))
        return []
    return [
        parse(part, where=label % {"n": i}, city=city, problems=problems)
        for i, part in enumerate(coords, start=1)
    ]


def ring_signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Twice the signed area (shoelace) in degrees²; positive = counterclockwise."""
    total = 0.0
    for (x1, y1, *_r1), (x2, y2, *_r2) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total


def _orient(ring: list[list[float]], ccw: bool) -> list[list[float]]:
    area = ring_signed_area(ring)
    if area == 0 or (area > 0) == ccw:
        return ring
    return list(reversed(ring))


def _rewind_polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    return [_orient(ring, ccw=(i == 0)) for i, ring in enumerate(rings)]


def rewind(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """Exterior rings counterclockwise, holes clockwise (RFC 7946 §3.1.6)."""
    kind = geometry["type"]
    coords = geometry["coordinates"]
    if kind == "Polygon":
        coords = _rewind_polygon(coords)
    elif kind == "MultiPolygon":
        coords = [_rewind_polygon(p) for p in coords]
    return {"type": kind, "coordinates": coords}


def _round_coords(value: Any) -> Any:
    if isinstance(value, list):
        if value and _is_number(value[0]):
            return [round(float(v), COORD_DIGITS) for v in value]
        return [_round_coords(v) for v in value]
    return value


def representative_point(geometry: Mapping[str, Any]) -> Position:
    """A (lon, lat) to list or centre a geometry on: the point itself, the middle vertex of
    a line, the centre of the bounding box of a polygon's exterior ring."""
    kind = geometry["type"]
    coords = geometry["coordinates"]
    if kind == "Point":
        return (float(coords[0]), float(coords[1]))
    if kind in ("MultiPoint", "LineString"):
        mid = coords[len(coords) // 2]
        return (float(mid[0]), float(mid[1]))
    if kind == "MultiLineString":
        line = coords[0]
        mid = line[len(line) // 2]
        return (float(mid[0]), float(mid[1]))
    ring = coords[0] if kind == "Polygon" else coords[0][0]
    lons = [float(p[0]) for p in ring]
    lats = [float(p[1]) for p in ring]
    return ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


@dataclass(frozen=True)
class SiteLocation:
    """Where a site is: a point (lat/lon) or a GeoJSON geometry (already validated)."""

    lat: float | None = None
    lon: float | None = None
    geometry: Mapping[str, Any] | None = None

    def as_geometry(self) -> dict[str, Any] | None:
        if self.geometry is not None:
            return _round_geometry(rewind(self.geometry))
        if self.lat is None or self.lon is None:
            return None
        return {
            "type": "Point",
            "coordinates": [round(self.lon, COORD_DIGITS), round(self.lat, COORD_DIGITS)],
        }

    @property
    def kind(self) -> str:
        if self.geometry is not None:
            return str(self.geometry["type"])
        return "Point" if self.lat is not None and self.lon is not None else ""

    def point(self) -> Position | None:
        geometry = self.as_geometry()
        return representative_point(geometry) if geometry is not None else None


def _round_geometry(geometry: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])}


@dataclass(frozen=True)
class SiteFeature:
    """One site with the attributes written into its GeoJSON properties."""

    id: int
    location: SiteLocation
    properties: Mapping[str, Any] = field(default_factory=dict)


def feature_collection(
    features: Sequence[SiteFeature], *, name: str = "", metadata: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection; sites without a location are left out."""
    out: list[dict[str, Any]] = []
    for feature in features:
        geometry = feature.location.as_geometry()
        if geometry is None:
            continue
        out.append(
            {
                "type": "Feature",
                "id": feature.id,
                "geometry": geometry,
                "properties": dict(feature.properties),
            }
        )
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": out}
    if name:
        collection["name"] = name
    if metadata:
        collection["metadata"] = dict(metadata)
    return collection


def rfc7946_problems(obj: object) -> list[str]:
    """Check a GeoJSON object against the RFC 7946 rules used here (for tests and self-checks).

    Checks: types, positions of 2–3 numbers, longitude in −180…180 and latitude in −90…90,
    LineStrings of ≥ 2 positions, closed rings of ≥ 4 positions, exterior rings
    counterclockwise and holes clockwise, no ``crs`` member.
    """
    problems: list[str] = []

    def pos(p: object, where: str) -> None:
        if not isinstance(p, list) or len(p) not in (2, 3) or not all(_is_number(v) for v in p):
            problems.append(f"{where}: bad position {p!r}")
            return
        lon, lat = float(p[0]), float(p[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"{where}: position out of range {p!r}")

    def ring(r: object, where: str, exterior: bool) -> None:
        if not isinstance(r, list) or len(r) < 4:
            problems.append(f"{where}: ring needs >= 4 positions")
            return
        for i, p in enumerate(r):
            pos(p, f"{where}[{i}]")
        if r[0] != r[-1]:
            problems.append(f"{where}: ring not closed")
        area = ring_signed_area(r)
        if exterior and area < 0:
            problems.append(f"{where}: exterior ring is clockwise")
        if not exterior and area > 0:
            problems.append(f"{where}: hole is counterclockwise")

    def geometry(g: object, where: str) -> None:
        if not isinstance(g, dict):
            problems.append(f"{where}: geometry is not an object")
            return
        kind, coords = g.get("type"), g.get("coordinates")
        if kind == "Point":
            pos(coords, where)
        elif kind in ("MultiPoint", "LineString"):
            if not isinstance(coords, list):
                problems.append(f"{where}: coordinates not an array")
                return
            if kind == "LineString" and len(coords) < 2:
                problems.append(f"{where}: LineString needs >= 2 positions")
            for i, p in enumerate(coords):
                pos(p, f"{where}[{i}]")
        elif kind == "MultiLineString":
            for i, line in enumerate(coords if isinstance(coords, list) else []):
                geometry({"type": "LineString", "coordinates": line}, f"{where}[{i}]")
        elif kind == "Polygon":
            for i, r in enumerate(coords if isinstance(coords, list) else []):
                ring(r, f"{where}[{i}]", exterior=(i == 0))
        elif kind == "MultiPolygon":
            for i, poly in enumerate(coords if isinstance(coords, list) else []):
                geometry({"type": "Polygon", "coordinates": poly}, f"{where}[{i}]")
        else:
            problems.append(f"{where}: unknown geometry type {kind!r}")

    if not isinstance(obj, dict):
        return ["not an object"]
    if "crs" in obj:
        problems.append("crs member is not allowed")
    if obj.get("type") == "FeatureCollection":
        feats = obj.get("features")
        if not isinstance(feats, list):
            return ["features is not an array"]
        for i, f in enumerate(feats):
            if not isinstance(f, dict) or f.get("type") != "Feature":
                problems.append(f"features[{i}]: not a Feature")
                continue
            if "properties" not in f:
                problems.append(f"features[{i}]: no properties member")
            if f.get("geometry") is not None:
                geometry(f["geometry"], f"features[{i}].geometry")
    else:
        problems.append("not a FeatureCollection")
    return problems
