"""A choropleth map of areas drawn on the server with matplotlib (no map service, no tiles).

Each area is its configured boundary (`Area.boundary`, GeoJSON Polygon or MultiPolygon in any
planar coordinates), shaded by its class band. A hidden value (suppressed, or no rate) is drawn
hatched and "not shown", never shaded: its shade would give the figure away. The map always
sits beside a data table with the same figures (the accessible version).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from safepath.reporting import charts

# Light to dark blue, from the GOV.UK blue; enough contrast between neighbours to tell apart,
# and every band is named in the legend (colour is never the only cue: areas are labelled).
BAND_COLOURS = ("#d2e2f1", "#8eb8dc", "#4a8cc9", "#1d70b8", "#0b3d66")
HIDDEN_HATCH = "///"
HIDDEN_COLOUR = "#ffffff"
EDGE_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class MapArea:
    label: str
    geometry: dict[str, Any]
    value: float | None  # None: not shown


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring)) / 2


def _oriented(ring: Sequence[Sequence[float]], clockwise: bool) -> list[tuple[float, float]]:
    """A ring turned the given way round, so holes cut out under the non-zero fill rule whatever
    the file's own winding."""
    points = [(float(p[0]), float(p[1])) for p in ring]
    if (_signed_area(points) < 0) != clockwise:
        points.reverse()
    return points


# Points drawn per ring: a map a few centimetres wide shows no more, and each point costs time
# and bytes in the SVG. A longer ring is thinned by keeping evenly spaced points.
MAX_DRAWN_POINTS = 250


def _thinned(ring: Sequence[Sequence[float]]) -> Sequence[Sequence[float]]:
    if len(ring) <= MAX_DRAWN_POINTS:
        return ring
    step = math.ceil((len(ring) - 1) / (MAX_DRAWN_POINTS - 1))
    return [*ring[:-1:step], ring[0]]


def _path(geometry: dict[str, Any]) -> Path:
    from safepath.areas.boundaries import polygons

    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for rings in polygons(geometry):
        for index, ring in enumerate(rings):
            points = _oriented(_thinned(ring), clockwise=index > 0)  # outer ring anticlockwise, holes clockwise
            vertices += points
            codes += [Path.MOVETO] + [Path.LINETO] * (len(points) - 2) + [Path.CLOSEPOLY]
    return Path(vertices, codes)


def _label_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """The centroid of the largest outer ring (good enough to place a name on a coarse shape)."""
    from safepath.areas.boundaries import polygons

    outer = [_thinned(rings[0]) for rings in polygons(geometry)]
    ring = max(outer, key=lambda r: abs(_signed_area(r)))
    a = _signed_area(ring)
    if not a:
        return float(ring[0][0]), float(ring[0][1])
    cx = cy = 0.0
    for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * a), cy / (6 * a)


def _round_up(value: float) -> float:
    """Round up to two significant figures, so band edges read easily (4.37 -> 4.4)."""
    if value <= 0:
        return 0.0
    exponent = math.floor(math.log10(value)) - 1
    step = 10.0**exponent
    return round(math.ceil(value / step - 1e-9) * step, max(0, -exponent))


def class_bands(values: Sequence[float], most: int = len(BAND_COLOURS)) -> list[tuple[float, float]]:
    """Up to `most` bands of equal width from 0 up to the largest value, so the same shade means
    the same rate wherever it is; fewer bands when there are fewer different values."""
    top = max(values, default=0.0)
    if top <= 0:
        return [(0.0, 0.0)]
    count = min(most, len(set(values)))
    width = _round_up(top / count)
    return [(round(width * i, 6), round(width * (i + 1), 6)) for i in range(count)]


def band_of(value: float, bands: Sequence[tuple[float, float]]) -> int:
    for index, (_, high) in enumerate(bands):
        if value <= high:
            return index
    return len(bands) - 1


def _is_geographic(paths: Sequence[Path]) -> bool:
    xs = [v for p in paths for v in p.vertices[:, 0]]
    ys = [v for p in paths for v in p.vertices[:, 1]]
    return bool(xs) and max(map(abs, xs)) <= 180 and max(map(abs, ys)) <= 90


@charts.cached  # a pure function of its arguments (areas, values, labels): keyed by them, never stale
def choropleth(
    key: str,
    title: str,
    areas: Sequence[MapArea],
    *,
    unit: str,
    hidden_label: str,
    fmt: str = "svg",
) -> Markup | bytes:
    """The areas shaded by value band, labelled, with a legend of bands and of "not shown"."""
    paths = [_path(a.geometry) for a in areas]
    shown = [a.value for a in areas if a.value is not None]
    bands = class_bands(shown)
    fig = Figure(figsize=(6.4, 5.2))  # not pyplot: no global state, nothing to close
    ax = fig.add_subplot()
    for area, path in zip(areas, paths, strict=True):
        if area.value is None:
            patch = PathPatch(path, facecolor=HIDDEN_COLOUR, edgecolor=EDGE_COLOUR, hatch=HIDDEN_HATCH, linewidth=0.6)
        else:
            colour = BAND_COLOURS[band_of(area.value, bands)]
            patch = PathPatch(path, facecolor=colour, edgecolor=EDGE_COLOUR, linewidth=0.6)
        ax.add_patch(patch)
        x, y = _label_point(area.geometry)
        ax.annotate(
            area.label,
            (x, y),
            ha="center",
            va="center",
            fontsize=7,
            color=EDGE_COLOUR,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )
    ax.autoscale_view()
    if _is_geographic(paths):
        # Longitude degrees are shorter than latitude degrees away from the equator.
        middle = sum(ax.get_ylim()) / 2
        ax.set_aspect(1 / max(math.cos(math.radians(middle)), 0.1))
    else:
        ax.set_aspect("equal")
    ax.set_axis_off()
    handles = []
    if shown:
        handles += [
            Patch(
                facecolor=BAND_COLOURS[i],
                edgecolor=EDGE_COLOUR,
                label=f"{'' if i == 0 else 'over '}{low:g} to {high:g} {unit}",
            )
            for i, (low, high) in enumerate(bands)
        ]
    if len(shown) < len(areas):
        handles.append(Patch(facecolor=HIDDEN_COLOUR, edgecolor=EDGE_COLOUR, hatch=HIDDEN_HATCH, label=hidden_label))
    ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title, fontsize=10, loc="left")
    return charts._render(fig, key, title, fmt)
