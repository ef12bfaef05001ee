"""Render a network view to a standalone HTML page on our own template, for vis-network.

The caller builds :class:`NetNode` and :class:`NetEdge` lists (capping large neighbourhoods
itself) and gets back a full page. Positions come from :mod:`web.render.layout` with physics off,
so the page draws at once. The page loads only our vendored vis-network and our own static
files, and it must be sent as it is: never pass it through Jinja again (node names would run
as template code).

Safety: every string reaches the page either HTML-escaped by the autoescaping template or
inside ``<script type="application/json">`` as JSON with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, read with ``JSON.parse``. Tooltips are plain strings, which vis-network 9.1.2
shows with ``innerText`` (``Popup.setText``), never as HTML.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from web.render.force_layout import (
    COLLIDE_LIMIT,
    FORCE_LIMIT,
    Box,
    label_box,
    separate_labels,
    spring_positions,
)
from web.render.layout import layout_network
from web.render.tie_words import type_words

TEMPLATES = Path(__file__).parent.parent / "templates" / "network"
STATIC = Path(__file__).parent.parent / "static"
TEMPLATE = "page.html"
VIS_JS = "vendor/vis-network/vis-network.min.js"
VIS_CSS = "vendor/vis-network/vis-network.css"
PAGE_JS = "network/network.js"
PAGE_CSS = "network/network.css"
_ASSETS = {"vis_js": VIS_JS, "vis_css": VIS_CSS, "js": PAGE_JS, "css": PAGE_CSS}
LABEL_LENGTH = 24
FONT_SIZE = 14
ROOT_FONT_SIZE = 18
NODE_SIZE = 12
ROOT_SIZE = 22
MORE_FONT_SIZE = 12
BIG = 1000  # from this many nodes: no arrowheads, ties hidden while dragging or zooming

# Paul Tol's "muted" scheme (colour-blind safe); shapes double-encode the family of kind.
KINDS: dict[str, tuple[str, str]] = {
    "Country": ("#332288", "hexagon"),
    "Region": ("#88CCEE", "hexagon"),
    "City": ("#44AA99", "hexagon"),
    "Hospital": ("#CC6677", "square"),
    "University": ("#DDCC77", "square"),
    "Company": ("#117733", "diamond"),
    "Programme": ("#AA4499", "star"),
    "Organisation": ("#999933", "triangle"),
    "Person": ("#882255", "dot"),
    "Event": ("#6699CC", "triangleDown"),
    "Document": ("#777777", "square"),
    "Agreement": ("#661100", "diamond"),
}
OTHER_KIND = ("#BBBBBB", "dot")
_CORNERS = {  # vis shape: (corners, angle of the first corner in degrees)
    "triangle": (3, -90),
    "triangleDown": (3, 90),
    "square": (4, 45),
    "diamond": (4, 0),
    "hexagon": (6, 0),
}
MORE_GROUP = "more"
MORE_TIE = {"dashes": True, "arrows": {"to": {"enabled": False}}, "color": {"color": "#5b6b7c"}}
HEIGHT = re.compile(r"\d+(\.\d+)?(px|%|vh|em|rem)")
_SCRIPT_UNSAFE = [
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
]
_HTML_EXTRA = [("{", "&#123;"), ("}", "&#125;"), ("\u2028", "&#8232;"), ("\u2029", "&#8233;")]


@dataclass(frozen=True)
class NetNode:
    """A node to draw; ``hidden`` counts neighbours left out, ``expand_url`` shows them."""

    id: str
    name: str
    kind: str
    url: str | None = None
    country: str | None = None
    tooltip: str | Sequence[str] = ""
    hidden: int = 0
    expand_url: str | None = None
    size: float | None = None  # drawn size, when a metric sizes the nodes
    colour: str | None = None  # fill, when a metric colours the nodes


@dataclass(frozen=True)
class NetEdge:
    """A tie to draw, from ``source`` to ``target`` (node ids); ``tooltip`` is plain text."""

    id: str
    source: str
    target: str
    type: str
    tooltip: str | Sequence[str] = ""
    dashed: bool = False
    words: str = ""  # the tie in words, e.g. "agreement, 2019–2025"; the type when empty


@dataclass
class Network:
    """The nodes and ties of one view."""

    nodes: list[NetNode] = field(default_factory=list)
    edges: list[NetEdge] = field(default_factory=list)


@dataclass(frozen=True)
class Footer:
    """The line under an embedded view: sources, data stamp, link to the full page, snapshot."""

    sources: list[str]
    data_as_of: str | None
    full_url: str
    snapshot_url: str | None = None


@dataclass(frozen=True)
class Timeline:
    """A year slider: the ``.json`` twin to fetch per year (``as_of`` added), and its years.

    When the twin of a year names entities or ties not drawn, the page draws ``view_url`` of
    that year (``as_of`` added) instead of hiding what is not in force.
    """

    twin_url: str
    view_url: str
    first: int
    last: int
    year: int | None = None  # the year drawn, None for all years


@dataclass(frozen=True)
class LegendItem:
    """One kind in the legend: its name, vis group, colour, shape and SVG swatch."""

    kind: str
    group: str
    colour: str
    shape: str
    points: str


@dataclass(frozen=True)
class Page:
    """What our template shows besides the graph: title, legend, assets, footer."""

    title: str
    summary: str
    legend: list[LegendItem]
    has_more: bool
    assets: dict[str, str]
    inline: dict[str, Markup] | None = None
    footer: Footer | None = None
    timeline: Timeline | None = None
    appendix: Markup | None = None  # escaped HTML under the drawing (a snapshot's facts)


def default_static_url(filename: str) -> str:
    """Return the URL of a file under ``web/static`` on the app's default static path."""
    return f"/static/{filename}"


def render_network(
    network: Network,
    *,
    title: str,
    root: str | None = None,
    path: list[str] | None = None,
    height: str = "100%",
    static_url: Callable[[str], str] = default_static_url,
    footer: Footer | None = None,
    inline: bool = False,
    timeline: Timeline | None = None,
    appendix: Markup | None = None,
) -> str:
    """Return the full HTML page drawing ``network``, laid out around ``root`` or along ``path``.

    O(n + m). ``footer`` adds the embed footer; ``inline`` puts the scripts and styles in the
    page, for a self-contained snapshot that requests nothing; ``timeline`` adds a year slider
    that redraws from the ``.json`` twin; ``appendix`` (HTML already escaped, e.g. a snapshot's
    quotes) goes under the drawing, and the page then scrolls. Send the result as it is; raise
    ``ValueError`` for a ``height`` that is not a plain CSS length.
    """
    if not HEIGHT.fullmatch(height):
        raise ValueError(f"height must be a CSS length such as 600px or 100%, not {height!r}")
    legend = legend_for(network.nodes)
    groups = {item.kind: item.group for item in legend}
    nodes, index = _vis_nodes(network.nodes, groups, root)
    edges = _vis_edges(network.edges, network.nodes, index, path)
    _place(nodes, edges, index, root, path)
    page = Page(
        title=title,
        summary=_summary(network),
        legend=legend,
        has_more=any(node.get("group") == MORE_GROUP for node in nodes),
        assets={key: static_url(name) for key, name in _ASSETS.items()},
        inline={key: asset_text(name) for key, name in _ASSETS.items()} if inline else None,
        footer=footer,
        timeline=timeline,
        appendix=appendix,
    )
    options = json.dumps(_options(legend, len(nodes)))
    template = _environment().get_template(TEMPLATE)
    return template.render(page=page, nodes=nodes, edges=edges, options=options, height=height)


@functools.cache
def asset_text(name: str) -> Markup:
    """Return the text of ``web/static/<name>`` to inline; refuse text that could end its tag."""
    text = (STATIC / name).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ValueError(f"{name} cannot be inlined: it contains a closing tag or a comment")
    return Markup(text)


def script_json(value: Any) -> Markup:
    """Return ``value`` as JSON safe inside ``<script type="application/json">``."""
    return script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def script_safe(text: str) -> Markup:
    """Escape ``<``, ``>``, ``&``, U+2028 and U+2029 in JSON text as ``\\u`` escapes."""
    return Markup(_replace_all(text, _SCRIPT_UNSAFE))


def html_text(value: Any) -> Any:
    """Escape a template value for HTML, braces and U+2028/U+2029 too; pass Markup through.

    Braces as character references keep a name such as ``{{ 7*7 }}`` inert even if someone
    wrongly renders the page as a Jinja template again.
    """
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(_replace_all(str(escape(value)), _HTML_EXTRA))


def legend_for(nodes: Sequence[NetNode]) -> list[LegendItem]:
    """Return the kinds present: known kinds in palette order, then others as they appear."""
    present = dict.fromkeys(node.kind for node in nodes)
    kinds = [kind for kind in KINDS if kind in present]
    kinds += [kind for kind in present if kind not in KINDS]
    return [_legend_item(kind, f"k{i}") for i, kind in enumerate(kinds)]


def _legend_item(kind: str, group: str) -> LegendItem:
    """Return the legend entry of ``kind`` drawn as vis group ``group``."""
    colour, shape = KINDS.get(kind, OTHER_KIND)
    return LegendItem(kind, group, colour, shape, _swatch(shape))


def _swatch(shape: str) -> str:
    """Return SVG polygon points (in a 16x16 box) for a vis shape; empty for a dot."""
    radii: list[float]
    angles: list[float]
    if shape == "star":
        radii = [7 if i % 2 == 0 else 3 for i in range(10)]
        angles = [-90 + 36 * i for i in range(10)]
    elif shape in _CORNERS:
        count, offset = _CORNERS[shape]
        radii = [7] * count
        angles = [offset + 360 / count * i for i in range(count)]
    else:
        return ""
    return " ".join(
        f"{8 + r * math.cos(math.radians(a)):.1f},{8 + r * math.sin(math.radians(a)):.1f}"
        for r, a in zip(radii, angles, strict=True)
    )


def _vis_nodes(
    nodes: Sequence[NetNode], groups: dict[str, str], root: str | None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Return vis node dicts (ids are indices) and the index of each node id."""
    vis: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    capped: list[NetNode] = []
    for node in nodes:
        if node.id not in index:
            index[node.id] = len(vis)
            vis.append(_vis_node(node, len(vis), groups[node.kind], node.id == root))
            if node.hidden > 0:
                capped.append(node)
    for node in capped:
        vis.append(_more_badge(node, len(vis), index[node.id]))
    return vis, index


def _vis_node(node: NetNode, i: int, group: str, is_root: bool) -> dict[str, Any]:
    """Return the vis dict of one node: short label, plain-text tooltip, group, url."""
    label = node.name if len(node.name) <= LABEL_LENGTH else node.name[: LABEL_LENGTH - 1] + "…"
    kind = f"{node.kind} · {node.country}" if node.country else node.kind
    lines = [node.name, kind, _text(node.tooltip)]
    if node.hidden > 0:
        lines.append(f"{node.hidden:,} more connections not shown")
    vis = {"id": i, "label": label, "title": "\n".join(line for line in lines if line)}
    vis["group"] = group
    vis["key"] = node.id
    if node.url:
        vis["url"] = node.url
    if node.size is not None:
        vis["size"] = node.size
    if node.colour is not None:
        vis["color"] = {"background": node.colour, "border": "#1d2733"}
    if is_root:
        vis.update(size=ROOT_SIZE, borderWidth=3, font={"size": ROOT_FONT_SIZE})
    return vis


def _more_badge(node: NetNode, i: int, parent: int) -> dict[str, Any]:
    """Return the "+N more" badge node that stands for the neighbours of ``node`` left out."""
    title = f"{node.hidden:,} more connections of {node.name} not shown"
    if node.expand_url:
        title += "\nClick to show them"
    vis = {"id": i, "label": f"+{node.hidden:,} more", "title": title, "group": MORE_GROUP}
    vis["parent"] = parent
    if node.expand_url:
        vis["url"] = node.expand_url
    return vis


def _vis_edges(
    edges: Sequence[NetEdge],
    nodes: Sequence[NetNode],
    index: dict[str, int],
    path: list[str] | None,
) -> list[dict[str, Any]]:
    """Return one vis edge per pair of known nodes, parallel ties counted, path steps wider."""
    names = {node.id: node.name for node in nodes}
    steps = set(zip(path, path[1:], strict=False)) if path else set()
    pairs: dict[tuple[int, int], list[NetEdge]] = {}
    for edge in edges:
        source, target = index.get(edge.source), index.get(edge.target)
        if source is None or target is None:
            continue
        pairs.setdefault((min(source, target), max(source, target)), []).append(edge)
    vis: list[dict[str, Any]] = []
    for ties in pairs.values():
        first = ties[0]
        words = [tie.words or type_words(tie.type) for tie in ties]
        label = words[0] if len(ties) == 1 else f"{len(ties)} ties"
        item: dict[str, Any] = {
            "id": len(vis),
            "from": index[first.source],
            "to": index[first.target],
            "type": first.type,
            "words": label,
            "count": len(ties),
            "keys": [tie.id for tie in ties],
            "each": words,
        }
        item["title"] = "\n\n".join(
            "\n".join(
                line
                for line in (
                    f"{names[tie.source]} → {text} → {names[tie.target]}",
                    _text(tie.tooltip),
                )
                if line
            )
            for tie, text in zip(ties, words, strict=True)
        )
        if len(ties) > 1:
            item["width"] = 1 + min(len(ties), 4)
            directions = {(tie.source, tie.target) for tie in ties}
            if len(directions) > 1:
                item["arrows"] = "to;from"
        if all(tie.dashed for tie in ties):
            item["dashes"] = True
        if any(
            (tie.source, tie.target) in steps or (tie.target, tie.source) in steps for tie in ties
        ):
            item["width"] = 3
        vis.append(item)
    return vis


def _place(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    index: dict[str, int],
    root: str | None,
    path: list[str] | None,
) -> None:
    """Set ``x``/``y`` on every vis node from :func:`web.layout.layout_network`."""
    ties = [(str(edge["from"]), str(edge["to"])) for edge in edges]
    ties += [(str(node["parent"]), str(node["id"])) for node in nodes if "parent" in node]
    ids = [str(node["id"]) for node in nodes]
    centre = str(index[root]) if root in index else None
    boxes = {str(node["id"]): _box(node) for node in nodes}
    if len(nodes) <= FORCE_LIMIT and not path:
        positions = spring_positions(ids, ties, centre, boxes)
    else:
        positions = layout_network(
            ids,
            ties,
            root=centre,
            path=[str(index[step]) for step in path if step in index] if path else None,
        )
    if len(nodes) <= COLLIDE_LIMIT:
        positions = separate_labels(positions, boxes, pinned=centre)
    for node in nodes:
        node["x"], node["y"] = positions[str(node["id"])]
    for node in nodes:
        if "parent" in node:
            parent = node.pop("parent")
            edges.append({"id": len(edges), "from": parent, "to": node["id"], **MORE_TIE})


def _box(node: dict[str, Any]) -> Box:
    """Estimate the box a vis node and its label take on the canvas."""
    if node.get("group") == MORE_GROUP:
        return label_box(node["label"], MORE_FONT_SIZE, 0, inside=True)
    font = node.get("font", {}).get("size", FONT_SIZE)
    return label_box(node["label"], font, node.get("size", NODE_SIZE))


def _options(legend: list[LegendItem], count: int) -> dict[str, Any]:
    """Return vis-network options: physics off, straight ties, one group per kind."""
    groups: dict[str, dict[str, Any]] = {
        item.group: {"color": item.colour, "shape": item.shape} for item in legend
    }
    groups[MORE_GROUP] = {
        "shape": "box",
        "color": {"background": "#ffffff", "border": "#5b6b7c"},
        "font": {"size": MORE_FONT_SIZE, "color": "#1d2733"},
        "borderWidth": 1,
        "shapeProperties": {"borderDashes": [4, 3]},
    }
    big = count >= BIG
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
        },
        "nodes": {
            "size": NODE_SIZE,
            "borderWidth": 1,
            "font": {
                "size": FONT_SIZE,
                "color": "#1d2733",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "color": {"color": "#9aa7b4", "highlight": "#0b6e99", "hover": "#0b6e99"},
            "arrows": {"to": {"enabled": not big, "scaleFactor": 0.45}},
            "font": {"size": 11, "align": "middle", "strokeWidth": 3},
        },
        "groups": groups,
    }


@functools.cache
def _environment() -> Environment:
    """Return the autoescaping Jinja environment for our network template."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        finalize=html_text,
    )
    env.filters["script_json"] = script_json
    env.filters["script_safe"] = script_safe
    return env


def _summary(network: Network) -> str:
    """Return e.g. ``12 nodes · 30 ties · 40 more not shown``."""
    hidden = sum(node.hidden for node in network.nodes if node.hidden > 0)
    parts = [f"{len(network.nodes):,} nodes", f"{len(network.edges):,} ties"]
    if hidden:
        parts.append(f"{hidden:,} more not shown")
    return " · ".join(parts)


def _replace_all(text: str, pairs: list[tuple[str, str]]) -> str:
    """Return ``text`` with each pair's first string replaced by its second (C-speed)."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def _text(value: str | Sequence[str]) -> str:
    """Return tooltip text from a string or a sequence of lines."""
    return value if isinstance(value, str) else "\n".join(line for line in value if line)
