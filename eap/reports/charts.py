"""Horizontal bar charts as plain geometry for an inline SVG (no script, no style attribute).

The template draws rectangles and text from these numbers with presentation attributes only, so
the strict CSP (style-src 'self') holds. Every chart stands beside a table with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 210
BAR_SPACE = 330  # the rest holds the value text after the bar
BAR_HEIGHT = 16
GAP = 10
PALETTE = ("#1f5f8b", "#b35c00", "#3b7d3b", "#6b4c9a")  # dark enough for white-free text beside
MAX_LABEL = 30


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    text: str
    text_x: int


@dataclass
class ChartRow:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass
class Chart:
    id: str
    title: str
    rows: list[ChartRow] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    height: int = 0
    width: int = WIDTH


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list]],
              texts: list[list[str]] | None = None) -> Chart:
    """``series``: (name, values) with None where no bar may be drawn (a hidden cell).

    ``texts`` (per series, per row) is what is written after the bar; by default the value.
    """
    values = [v for _, column in series for v in column if v is not None]
    top = max(values, default=0) or 1
    chart = Chart(chart_id, title)
    if len(series) > 1:
        chart.legend = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _) in enumerate(series)]
    y = GAP + (BAR_HEIGHT + 4 if chart.legend else 0)
    for row, label in enumerate(labels):
        bars = []
        for i, (_, column) in enumerate(series):
            value = column[row]
            width = 0 if value is None else max(round(value / top * BAR_SPACE), 1 if value else 0)
            text = texts[i][row] if texts else ("" if value is None else str(value))
            bars.append(Bar(LABEL_WIDTH, y, width, BAR_HEIGHT, PALETTE[i % len(PALETTE)], text,
                            LABEL_WIDTH + width + 6))
            y += BAR_HEIGHT + 2
        chart.rows.append(ChartRow(_short(label), bars[0].y + BAR_HEIGHT - 3, bars))
        y += GAP
    chart.height = y
    return chart
