"""How each outcome and review status looks: label, colour and icon, declared once as data.

The queue, the legend and the detail pane read the same table, so a colour means the same
thing everywhere. Colours are paired with a shape (icons differ by status, outcome dots carry
a letter in the tooltip legend), so nothing depends on colour vision alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap, QPolygonF

from clerkapp.domain.outcomes import OUTCOME_LABELS, Outcome


@dataclass(frozen=True)
class Look:
    label: str
    colour: str  # hex, readable on white as text and as a swatch
    shape: str  # circle | square | diamond | triangle | ring


OUTCOME_LOOKS: dict[str, Look] = {
    Outcome.DISMISS_AND_SEAL: Look(OUTCOME_LABELS[Outcome.DISMISS_AND_SEAL], "#1b7f3b", "circle"),
    Outcome.REDESIGNATE_MISDEMEANOR: Look(
        OUTCOME_LABELS[Outcome.REDESIGNATE_MISDEMEANOR], "#1f5fa8", "square"),
    Outcome.REDESIGNATE_INFRACTION: Look(
        OUTCOME_LABELS[Outcome.REDESIGNATE_INFRACTION], "#0f7f86", "square"),
    Outcome.NOT_ELIGIBLE: Look(OUTCOME_LABELS[Outcome.NOT_ELIGIBLE], "#b3261e", "triangle"),
    Outcome.NEEDS_REVIEW: Look(OUTCOME_LABELS[Outcome.NEEDS_REVIEW], "#a15c00", "diamond"),
    Outcome.NOT_APPLICABLE: Look(OUTCOME_LABELS[Outcome.NOT_APPLICABLE], "#6b6b6b", "ring"),
}
NO_OUTCOME = Look("Not evaluated", "#6b6b6b", "ring")

STATUS_LOOKS: dict[str, Look] = {
    "pending": Look("Pending", "#6b6b6b", "ring"),
    "approved": Look("Approved", "#1b7f3b", "check"),
    "denied": Look("Denied", "#b3261e", "cross"),
    "deferred": Look("Deferred", "#a15c00", "clock"),
}


# the close-out column's text colour by stage; overdue reads in the denial red
CLOSEOUT_COLOURS = {"approved": "#6b6b6b", "ordered": "#a15c00", "reported": "#1f5fa8",
                    "closed": "#1b7f3b", "withdrawn": "#6b6b6b", "overdue": "#b3261e"}


def closeout_colour(progress, today, days: int) -> str:
    """The colour of a `domain.closeout.Progress` in the queue (the text says it too)."""
    key = "overdue" if progress.overdue(today, days) else progress.stage.value
    return CLOSEOUT_COLOURS[key]


def outcome_look(outcome: str | None) -> Look:
    return OUTCOME_LOOKS.get(outcome or "", NO_OUTCOME)


def status_look(status: str | None) -> Look:
    return STATUS_LOOKS.get(status or "pending", STATUS_LOOKS["pending"])


@cache
def swatch(colour: str, shape: str, size: int = 16) -> QIcon:
    """A small drawn icon (crisp at any device pixel ratio: drawn at 1x, 2x and 3x)."""
    icon = QIcon()
    for ratio in (1, 2, 3):
        pixmap = QPixmap(size * ratio, size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _draw(painter, QColor(colour), shape, float(size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _draw(p: QPainter, colour: QColor, shape: str, s: float) -> None:
    m = s * 0.15
    box = QRectF(m, m, s - 2 * m, s - 2 * m)
    pen = p.pen()
    pen.setColor(colour)
    pen.setWidthF(max(1.5, s / 8))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    if shape in ("ring", "check", "cross", "clock"):
        p.setBrush(Qt.BrushStyle.NoBrush)
    else:
        p.setBrush(colour)
    if shape == "circle" or shape == "ring":
        p.drawEllipse(box)
    elif shape == "square":
        p.drawRoundedRect(box, s / 10, s / 10)
    elif shape == "diamond":
        c = box.center()
        p.drawPolygon(QPolygonF([QPointF(c.x(), box.top()), QPointF(box.right(), c.y()),
                                 QPointF(c.x(), box.bottom()), QPointF(box.left(), c.y())]))
    elif shape == "triangle":
        p.drawPolygon(QPolygonF([QPointF(box.center().x(), box.top()),
                                 QPointF(box.right(), box.bottom()),
                                 QPointF(box.left(), box.bottom())]))
    elif shape == "check":
        p.drawPolyline(QPolygonF([QPointF(box.left(), box.center().y()),
                                  QPointF(box.left() + box.width() * 0.38, box.bottom()),
                                  QPointF(box.right(), box.top())]))
    elif shape == "cross":
        p.drawLine(box.topLeft(), box.bottomRight())
        p.drawLine(box.topRight(), box.bottomLeft())
    elif shape == "clock":
        p.drawEllipse(box)
        c = box.center()
        p.drawLine(c, QPointF(c.x(), box.top() + box.height() * 0.2))
        p.drawLine(c, QPointF(box.right() - box.width() * 0.2, c.y()))


def outcome_icon(outcome: str | None) -> QIcon | None:
    if QGuiApplication.instance() is None:  # pixmaps need a running GUI application
        return None
    look = outcome_look(outcome)
    return swatch(look.colour, look.shape)


def status_icon(status: str | None) -> QIcon | None:
    if QGuiApplication.instance() is None:
        return None
    look = status_look(status)
    return swatch(look.colour, look.shape)
