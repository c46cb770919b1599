"""The funding-flow diagram as SVG, drawn on the server with matplotlib (Agg: no display, no
internet). Each link is a band whose height is proportional to its amount, so a band's width
into a node always matches the node's height. The table beside it carries the same figures
for anyone who cannot see the picture."""

from __future__ import annotations

import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from safepath.commissioning.flow import Flow

COLUMNS = (0.0, 1.0, 2.0)
NODE_WIDTH = 0.06
GAP = 0.02  # vertical space between nodes, as a share of the drawing's height
COLOURS = ("#1d70b8", "#00703c", "#912b88", "#f47738", "#4c2c92", "#28a197", "#d4351c", "#505a5f")


def _short(name: str, limit: int = 30) -> str:
    """Labels in the picture are cut short; the table beside it has them in full."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _layout(nodes: dict[str, Decimal], total: Decimal) -> dict[str, list[float]]:
    """Each node's [bottom, top] in a 0..1 column, largest first from the top."""
    usable = 1.0 - GAP * max(len(nodes) - 1, 0)
    spans, top = {}, 1.0
    for name, amount in sorted(nodes.items(), key=lambda kv: (-kv[1], kv[0])):
        height = float(amount / total) * usable if total else 0.0
        spans[name] = [top - height, top]
        top -= height + GAP
    return spans


def _band(x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float]) -> Path:
    mid = (x0 + x1) / 2
    verts = [
        (x0, y0[1]),
        (mid, y0[1]),
        (mid, y1[1]),
        (x1, y1[1]),
        (x1, y1[0]),
        (mid, y1[0]),
        (mid, y0[0]),
        (x0, y0[0]),
        (x0, y0[1]),
    ]
    codes = [
        Path.MOVETO,
        Path.CURVE4,
        Path.CURVE4,
        Path.CURVE4,
        Path.LINETO,
        Path.CURVE4,
        Path.CURVE4,
        Path.CURVE4,
        Path.CLOSEPOLY,
    ]
    return Path(verts, codes)


def sankey_svg(flow: Flow, *, title: str = "") -> str:
    out = io.StringIO()
    sankey_figure(flow, title=title).savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def sankey_png(flow: Flow, *, title: str = "", dpi: int = 150) -> bytes:
    """The same picture as PNG, for documents that cannot hold SVG (the DOCX committee paper)."""
    out = io.BytesIO()
    sankey_figure(flow, title=title).savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def sankey_figure(flow: Flow, *, title: str = "") -> Figure:
    total = flow.total
    columns = [flow.funders, flow.contracts, flow.providers]
    spans = [_layout(nodes, total) for nodes in columns]
    rows = max((len(c) for c in columns), default=1)
    figure = Figure(figsize=(9.4, max(4.0, 0.8 * rows + 1.5)))
    axes = figure.add_axes((0.0, 0.0, 1.0, 0.94 if title else 1.0))
    axes.set_xlim(-1.1, 3.1)
    axes.set_ylim(-0.02, 1.02)
    axes.axis("off")
    if title:
        figure.suptitle(title, fontsize=12)
    colour = {
        name: COLOURS[i % len(COLOURS)] for i, name in enumerate(sorted(columns[0], key=lambda n: -columns[0][n]))
    }
    cursors = [{name: span[1] for name, span in column.items()} for column in spans]
    in_cursors = [{name: span[1] for name, span in column.items()} for column in spans]
    origin: dict[str, str] = {}
    for link in sorted(flow.links, key=lambda x: (x.stage, -x.amount)):
        left, right = link.stage - 1, link.stage
        height = float(link.amount / total) * (1.0 - GAP * max(len(spans[left]) - 1, 0)) if total else 0.0
        height_in = float(link.amount / total) * (1.0 - GAP * max(len(spans[right]) - 1, 0)) if total else 0.0
        out_top, in_top = cursors[left][link.source], in_cursors[right][link.target]
        cursors[left][link.source] -= height
        in_cursors[right][link.target] -= height_in
        fill = colour.get(link.source) or colour.get(origin.get(link.source, ""), "#b1b4b6")
        if link.stage == 1:
            origin.setdefault(link.target, link.source)
        path = _band(
            COLUMNS[left] + NODE_WIDTH, (out_top - height, out_top), COLUMNS[right], (in_top - height_in, in_top)
        )
        axes.add_patch(PathPatch(path, facecolor=fill, edgecolor="none", alpha=0.45))
    for index, column in enumerate(spans):
        for name, (bottom, top) in column.items():
            axes.add_patch(Rectangle((COLUMNS[index], bottom), NODE_WIDTH, top - bottom, facecolor="#0b0c0c"))
            amount = columns[index][name]
            label = f"{_short(name)}\n£{amount:,.0f}"
            x, align = (COLUMNS[index] - 0.03, "right") if index == 0 else (COLUMNS[index] + NODE_WIDTH + 0.03, "left")
            box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1} if index == 1 else None
            axes.text(x, (bottom + top) / 2, label, ha=align, va="center", fontsize=8, bbox=box)
    return figure
