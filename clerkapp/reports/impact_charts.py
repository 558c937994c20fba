"""Charts of the impact report, drawn with reportlab's graphics (vector, in the PDF itself)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from clerkapp.orders.fonts import SANS
from clerkapp.reports.impact_tables import label_of

BAR = colors.HexColor("#3A6EA5")
SERIES = (colors.HexColor("#3A6EA5"), colors.HexColor("#E08A1E"), colors.HexColor("#2E8B57"))


def bar_chart(counts: dict[str, int], dimension: str, *, width: float) -> Drawing:
    """Horizontal bars, largest first, each labelled with its count."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    row = 16
    height = row * len(items) + 24
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 12
    chart.width, chart.height = width - 230, row * len(items)
    chart.data = [[n for _, n in reversed(items)]]
    chart.categoryAxis.categoryNames = [label_of(dimension, k)[:32] for k, _ in reversed(items)]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.boxAnchor = "e"
    _whole_numbers(chart.valueAxis, max((n for _, n in items), default=0))
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "{:,}".format
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def progress_chart(months: dict[str, dict[str, int]], *, width: float) -> Drawing:
    """Cumulative approved, ordered and reported convictions, month by month."""
    keys = ("approved", "ordered", "reported")
    totals = dict.fromkeys(keys, 0)
    series: dict[str, list[int]] = {k: [] for k in keys}
    for counts in months.values():
        for k in keys:
            totals[k] += counts[k]
            series[k].append(totals[k])
    drawing = Drawing(width, 170)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 50, 30, width - 170, 120
    chart.data = [series[k] for k in keys]
    chart.categoryAxis.categoryNames = list(months)
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7
    _whole_numbers(chart.valueAxis, max((max(v, default=0) for v in series.values()), default=0))
    for i, color in enumerate(SERIES):
        chart.lines[i].strokeColor = color
        chart.lines[i].strokeWidth = 2
    if len(months) == 1:  # one month: a point, not a line
        from reportlab.graphics.widgets.markers import makeMarker

        for i in range(3):
            chart.lines[i].symbol = makeMarker("FilledCircle")
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 105, 140
    legend.fontName, legend.fontSize = SANS, 8
    legend.colorNamePairs = [(c, k.capitalize()) for c, k in zip(SERIES, keys, strict=True)]
    drawing.add(legend)
    drawing.add(String(0, 0, "", fontName=SANS))
    return drawing




def _whole_numbers(axis, top: int) -> None:
    """A count axis from 0 with whole-number steps (no "0.5 convictions")."""
    axis.valueMin = 0
    steps = (m * 10**e for e in range(12) for m in (1, 2, 5))
    step = next(s for s in steps if top / s <= 8)
    axis.valueStep = step
    axis.valueMax = max(step, -(-top // step) * step)
    axis.labels.fontName = SANS
    axis.labels.fontSize = 7
    axis.labelTextFormat = "{:,.0f}".format
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.HexColor("#DDDDDD")
