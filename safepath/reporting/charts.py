"""Charts drawn on the server with matplotlib (Agg backend, no internet), as inline SVG.

Each chart is shown with its data table beside it (the table is the accessible version; the
SVG carries a short text alternative). Hidden (suppressed) values are not drawn: a bar of a
hidden count would give away roughly what it is.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence

import matplotlib
from markupsafe import Markup

matplotlib.use("Agg")  # before pyplot is imported: no display, no GUI toolkit

from matplotlib import pyplot as plt
from matplotlib.figure import Figure as MplFigure

# GOV.UK palette: blue, green, orange, purple (distinguishable, and labelled anyway).
COLOURS = ("#1d70b8", "#00703c", "#f47738", "#4c2c92")
_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


def _render(fig: MplFigure, key: str, title: str, fmt: str) -> Markup | bytes:
    if fmt == "png":  # for documents (DOCX), where SVG is not supported everywhere
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
        plt.close(fig)
        return out.getvalue()
    return _svg(fig, key, title)


def _svg(fig: MplFigure, key: str, title: str) -> Markup:
    with matplotlib.rc_context({"svg.hashsalt": key, "svg.fonttype": "none"}):
        out = io.StringIO()
        fig.savefig(out, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = _XML_PROLOGUE.sub("", out.getvalue(), count=1)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # creator, date: not needed
    # Element ids must be unique in the page: prefix them with the chart's key.
    svg = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{key}-\1"', svg)
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return Markup(svg)  # noqa: S704 - our own SVG, drawn from numbers; the label is escaped above


def _labels(labels: Sequence[str]) -> list[str]:
    """Long labels (outcome questions) shortened for the axis; the table beside has them whole."""
    return [textwrap.shorten(str(label), width=40, placeholder="…") for label in labels]


def _values(values: Sequence[int | float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _figure(width: float = 6.4, height: float = 3.2) -> tuple[MplFigure, object]:
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=9)
    return fig, ax


def bar_chart(
    key: str, title: str, labels: Sequence[str], values: Sequence[int | float | None], fmt: str = "svg"
) -> Markup | bytes:
    """A horizontal bar per label; None (hidden) draws no bar."""
    fig, ax = _figure(height=max(1.6, 0.35 * len(labels) + 0.8))
    rows = range(len(labels))  # positions, not names: two shortened labels may read the same
    ax.barh(rows, _values(values), color=COLOURS[0])
    ax.set_yticks(rows, _labels(labels))
    ax.invert_yaxis()
    ax.set_title(title, fontsize=10, loc="left")
    return _render(fig, key, title, fmt)


def line_chart(
    key: str, title: str, labels: Sequence[str], series: dict[str, Sequence[int | None]], fmt: str = "svg"
) -> Markup | bytes:
    """One line per series over the labels (months); a hidden value leaves a gap."""
    fig, ax = _figure()
    for colour, (name, values) in zip(COLOURS, series.items(), strict=False):
        ax.plot(list(labels), _values(values), marker="o", color=colour, label=name)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title, fontsize=10, loc="left")
    if len(labels) > 6:
        ax.tick_params(axis="x", labelrotation=45)
    return _render(fig, key, title, fmt)


def stacked_bar_chart(
    key: str, title: str, labels: Sequence[str], parts: dict[str, Sequence[int | None]], fmt: str = "svg"
) -> Markup | bytes:
    """Better / same / worse (or similar) counts stacked in one bar each; hidden parts are left out."""
    fig, ax = _figure(height=max(1.6, 0.4 * len(labels) + 1.0))
    left = [0.0] * len(labels)
    for colour, (name, values) in zip(COLOURS, parts.items(), strict=False):
        widths = [0.0 if v is None else float(v) for v in values]
        ax.barh(range(len(labels)), widths, left=left, color=colour, label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(range(len(labels)), _labels(labels))
    ax.invert_yaxis()
    ax.legend(fontsize=8, frameon=False, ncols=len(parts), loc="lower right", bbox_to_anchor=(1, 1))
    ax.set_title(title, fontsize=10, loc="left")
    return _render(fig, key, title, fmt)
