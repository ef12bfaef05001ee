"""Charts drawn as SVG on the server: no script, no library, nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

PALETTE = ("#0b6e99", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 44, 16, 16, 44


def line_chart(years: Sequence[int], series: dict[str, Sequence[int]], title: str) -> Markup:
    """Return an SVG line chart of one value per year for each named series, with a legend."""
    top = max((max(values, default=0) for values in series.values()), default=0) or 1
    span_x, span_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    inset = 16  # keeps the first year's label clear of the y axis's labels

    def x(i: int) -> float:
        return LEFT + inset + ((span_x - inset) * i / max(1, len(years) - 1))

    def y(value: float) -> float:
        return TOP + span_y * (1 - value / top)

    parts = [_axes(span_x, span_y), *_y_ticks(top, y), *_x_ticks(years, x)]
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                     f'points="{points}"/>')  # fmt: skip
        parts += [
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
            f"<title>{escape(name)} {years[i]}: {v}</title></circle>"
            for i, v in enumerate(values)
        ]
        parts.append(_legend(k, name, colour))
    return _svg(title, parts)


def bar_chart(counts: dict[str, int], title: str, limit: int = 12) -> Markup:
    """Return an SVG horizontal bar chart of counts by label, largest first."""
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    top = max((v for _, v in items), default=0) or 1
    row = 22
    height = TOP + row * max(1, len(items)) + 8
    parts = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * row
        width = (WIDTH - 160) * value / top
        parts.append(
            f'<text x="70" y="{y + 15}" text-anchor="end" class="label">{escape(label)}</text>'
            f'<rect x="78" y="{y + 3}" width="{width:.1f}" height="{row - 7}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{82 + width:.1f}" y="{y + 15}" class="value">{value}</text>'
        )
    if not items:
        parts.append(f'<text x="10" y="{TOP + 15}" class="label">none</text>')
    return _svg(title, parts, height)


def _svg(title: str, parts: list[str], height: int = HEIGHT) -> Markup:
    body = "".join(parts)
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _axes(span_x: float, span_y: float) -> str:
    return (
        f'<line x1="{LEFT}" y1="{TOP + span_y}" x2="{LEFT + span_x}" y2="{TOP + span_y}" '
        'stroke="#8a97a6"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + span_y}" stroke="#8a97a6"/>'
    )


def _y_ticks(top: int, y: Callable[[float], float]) -> list[str]:
    step = max(1, -(-top // 4))
    return [
        f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="tick">{v}</text>'
        f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{WIDTH - RIGHT}" y2="{y(v):.1f}" '
        'stroke="#e3e8ee"/>'
        for v in range(0, top + 1, step)
    ]


def _x_ticks(years: Sequence[int], x: Callable[[int], float]) -> list[str]:
    every = max(1, -(-len(years) // 10))
    return [
        f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="tick">'
        f"{year}</text>"
        for i, year in enumerate(years)
        if i % every == 0 or i == len(years) - 1
    ]


def _legend(k: int, name: str, colour: str) -> str:
    x = LEFT + 150 * k
    y = HEIGHT - 8
    return (
        f'<rect x="{x}" y="{y - 9}" width="12" height="4" fill="{colour}"/>'
        f'<text x="{x + 16}" y="{y - 4}" class="label">{escape(name)}</text>'
    )
