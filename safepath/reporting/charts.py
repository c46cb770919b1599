"""Charts drawn on the server with matplotlib (Agg backend, no internet), as inline SVG.

Each chart is shown with its data table beside it (the table is the accessible version; the
SVG carries a short text alternative). Hidden (suppressed) values are not drawn: a bar of a
hidden count would give away roughly what it is.

Drawing is the slow part of the dashboard (a few hundred milliseconds a chart), so:

- A chart is a pure function of its arguments (the figures after disclosure control, labels,
  title, format), so each drawing is kept in a small in-process cache keyed by a hash of them
  (`_cached`). The same figures always give the same picture, so the cache can never show a
  stale chart; a page whose figures are unchanged (the current quarter asked for again) draws
  nothing. Per process, bounded (CACHE_SIZE drawings), no database queries.
- Margins are worked out from the labels instead of `bbox_inches="tight"`, which draws every
  figure twice to measure it; figures are built without pyplot (no global state).
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import matplotlib
from markupsafe import Markup

matplotlib.use("Agg")  # before pyplot is imported: no display, no GUI toolkit

from matplotlib import pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.font_manager import FontProperties

# GOV.UK palette: blue, green, orange, purple (distinguishable, and labelled anyway).
COLOURS = ("#1d70b8", "#00703c", "#f47738", "#4c2c92")
_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
# Bump when the drawing code changes, so drawings cached before are not reused.
DRAWING_VERSION = 3
CACHE_SIZE = 256  # drawings kept per process: about 20 KB each as SVG

_cache: OrderedDict[str, Markup | bytes] = OrderedDict()
_cache_lock = threading.Lock()
_F = TypeVar("_F", bound=Callable[..., Any])


def _cached(draw: _F) -> _F:
    """Keep `draw`'s result keyed by a hash of its name and arguments (least recently used out).
    The arguments are plain labels and numbers, whose repr is stable."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Markup | bytes:
        text = repr((DRAWING_VERSION, draw.__name__, args, sorted(kwargs.items())))
        key = hashlib.sha256(text.encode()).hexdigest()
        with _cache_lock:
            found = _cache.get(key)
            if found is not None:
                _cache.move_to_end(key)
                return found
        drawn = draw(*args, **kwargs)
        with _cache_lock:
            _cache[key] = drawn
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return drawn

    return wrapper  # type: ignore[return-value]


cached = _cached  # for charts drawn elsewhere (a section's own drawing) from plain arguments


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _render(fig: MplFigure, key: str, title: str, fmt: str, *, tight: bool = True) -> Markup | bytes:
    """SVG (or PNG) text of `fig`. `tight=False` when the margins were set from the labels
    (`_figure`): the figure is drawn once instead of twice."""
    bbox = "tight" if tight else None
    if fmt == "png":  # for documents (DOCX), where SVG is not supported everywhere
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=150, bbox_inches=bbox)
        plt.close(fig)
        return out.getvalue()
    return _svg(fig, key, title, bbox)


def _svg(fig: MplFigure, key: str, title: str, bbox: str | None = "tight") -> Markup:
    with matplotlib.rc_context({"svg.hashsalt": key, "svg.fonttype": "none"}):
        out = io.StringIO()
        fig.savefig(out, format="svg", bbox_inches=bbox)
    plt.close(fig)
    svg = _XML_PROLOGUE.sub("", out.getvalue(), count=1)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # creator, date: not needed
    # Element ids must be unique in the page: prefix them with the chart's key.
    svg = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{key}-\1"', svg)
    svg = _without_inline_styles(svg)
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return Markup(svg)  # noqa: S704 - our own SVG, drawn from numbers; the label is escaped above


_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')


def _without_inline_styles(svg: str) -> str:
    """matplotlib writes `style="fill: …"` attributes and a `<style>` element; the site's
    Content-Security-Policy (`style-src 'self'`) rightly refuses inline styles, which would leave
    every shape filled black. Each declaration becomes the SVG presentation attribute of the same
    name (fill, stroke, font-size, text-anchor, …), and the `<style>` element's defaults move onto
    the root element, where they are inherited."""

    def attributes(match: re.Match[str]) -> str:
        pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
        return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)

    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(attributes, svg)
    return svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)


def _labels(labels: Sequence[str]) -> list[str]:
    """Long labels (outcome questions) shortened for the axis; the table beside has them whole."""
    return [textwrap.shorten(str(label), width=40, placeholder="…") for label in labels]


def _values(values: Sequence[int | float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


TICK_SIZE = 9
PAD = 0.12  # inches of white space around the drawing
TITLE_SPACE = 0.35  # inches above the axes for the title
LEGEND_SPACE = 0.3  # inches more above the axes for a legend drawn there


def _text_width(fig: MplFigure, texts: Sequence[str], size: float = TICK_SIZE) -> float:
    """Width in inches of the widest text at `size` points, measured with the font itself (no
    drawing)."""
    if not texts:
        return 0.0
    renderer = FigureCanvasAgg(fig).get_renderer()
    prop = FontProperties(size=size)
    widest = max(renderer.get_text_width_height_descent(str(t), prop, ismath=False)[0] for t in texts)
    return widest / fig.dpi


def _figure(
    width: float = 6.4,
    height: float = 3.2,
    *,
    y_labels: Sequence[str] = (),
    x_labels: Sequence[str] = (),
    rotate_x: bool = False,
    legend_above: bool = False,
) -> tuple[MplFigure, Any]:
    """A figure and its axes, with margins wide enough for the tick labels given (so it can be
    saved without `bbox_inches="tight"`)."""
    fig = MplFigure(figsize=(width, height))  # not pyplot: no global state
    tick = 0.1 + 0.05  # tick length and gap, inches
    left = PAD + tick + max(_text_width(fig, y_labels), 0.3)
    x_height = TICK_SIZE * 1.3 / 72
    if rotate_x:
        x_height = _text_width(fig, x_labels) * math.sin(math.radians(45)) + x_height * 0.7
    bottom = PAD + tick + x_height
    top = PAD + TITLE_SPACE + (LEGEND_SPACE if legend_above else 0)
    # The last x label may reach past the axes' right edge by half its width.
    right = PAD + (_text_width(fig, x_labels[-1:]) / 2 if x_labels and not rotate_x else 0.1)
    fig.subplots_adjust(
        left=min(left / width, 0.6),
        right=1 - right / width,
        bottom=min(bottom / height, 0.6),
        top=max(1 - top / height, 0.62),
    )
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE)
    return fig, ax


def _legend_above(ax: Any, entries: int) -> None:
    """The legend in one row just above the axes, under the title: a fixed place (matplotlib's
    "best" place is searched for on every drawing) that never covers the data."""
    ax.legend(fontsize=8, frameon=False, ncols=max(entries, 1), loc="lower right", bbox_to_anchor=(1, 1))


def _count_labels(values: Sequence[float]) -> list[str]:
    """The widest value axis labels likely for these values (for the margin)."""
    top = max((v for v in values if not math.isnan(v)), default=0)
    return [f"{top * 1.05:,.0f}", "0"]


@_cached
def bar_chart(
    key: str, title: str, labels: Sequence[str], values: Sequence[int | float | None], fmt: str = "svg"
) -> Markup | bytes:
    """A horizontal bar per label; None (hidden) draws no bar."""
    shown = _labels(labels)
    fig, ax = _figure(height=max(1.6, 0.35 * len(labels) + 0.8), y_labels=shown)
    rows = range(len(labels))  # positions, not names: two shortened labels may read the same
    ax.barh(rows, _values(values), color=COLOURS[0])
    ax.set_yticks(rows, shown)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=10, loc="left")
    return _render(fig, key, title, fmt, tight=False)


@_cached
def line_chart(
    key: str, title: str, labels: Sequence[str], series: dict[str, Sequence[int | None]], fmt: str = "svg"
) -> Markup | bytes:
    """One line per series over the labels (months); a hidden value leaves a gap."""
    rotate = len(labels) > 6
    values = [v for vs in series.values() for v in _values(vs)]
    fig, ax = _figure(
        y_labels=_count_labels(values), x_labels=[str(x) for x in labels], rotate_x=rotate, legend_above=True
    )
    for colour, (name, values) in zip(COLOURS, series.items(), strict=False):
        ax.plot(list(labels), _values(values), marker="o", color=colour, label=name)
    ax.set_ylim(bottom=0)
    _legend_above(ax, len(series))
    ax.set_title(title, fontsize=10, loc="left", pad=LEGEND_SPACE * 72)
    if rotate:
        ax.tick_params(axis="x", labelrotation=45)
    return _render(fig, key, title, fmt, tight=False)


@_cached
def stacked_bar_chart(
    key: str, title: str, labels: Sequence[str], parts: dict[str, Sequence[int | None]], fmt: str = "svg"
) -> Markup | bytes:
    """Better / same / worse (or similar) counts stacked in one bar each; hidden parts are left out."""
    shown = _labels(labels)
    fig, ax = _figure(height=max(1.6, 0.4 * len(labels) + 1.0), y_labels=shown, legend_above=True)
    left = [0.0] * len(labels)
    for colour, (name, values) in zip(COLOURS, parts.items(), strict=False):
        widths = [0.0 if v is None else float(v) for v in values]
        ax.barh(range(len(labels)), widths, left=left, color=colour, label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(range(len(labels)), shown)
    ax.invert_yaxis()
    _legend_above(ax, len(parts))
    ax.set_title(title, fontsize=10, loc="left", pad=LEGEND_SPACE * 72)
    return _render(fig, key, title, fmt, tight=False)
