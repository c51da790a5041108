"""The network summary of a site and round: who is tied to whom, and where it would break.

A mixing-matrix heat map (ties between and within sectors; counts written in every cell, so
the shading is only a help), the brokers (highest betweenness), the single points of failure
(articulation points: remove one and the network falls apart) and the isolates. Figures come
from `fieldkit.mapping.metrics.compute_metrics`; this view only lays them out.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.dashboard.charts import ui_colour
from fieldkit.mapping.metrics import NetworkMetrics
from fieldkit.vocab import SECTOR_LABELS, SECTORS, sector_colour

NONE_FOUND = "none"


class MixingHeatMap(QWidget):
    """Sector x sector tie counts; the diagonal (ties within a sector) is outlined."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.matrix: dict[str, dict[str, int]] = {}
        self.setAccessibleName("Ties between sectors")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_matrix(self, matrix: dict[str, dict[str, int]]) -> None:
        self.matrix = matrix
        self.setAccessibleDescription(
            "; ".join(
                f"{SECTOR_LABELS[a]} with {SECTOR_LABELS[b]}: {matrix[a][b]}"
                for a in SECTORS
                for b in SECTORS
                if a in matrix and b in matrix[a] and SECTORS.index(b) >= SECTORS.index(a)
            )
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(520, 380)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(380, 300)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), ui_colour("panel"))
        sectors = [s for s in SECTORS if s in self.matrix]
        if not sectors:
            painter.setPen(ui_colour("muted"))
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "No ties mapped.")
            return
        left, top = 150.0, 56.0
        size = min(
            (self.width() - left - 10) / len(sectors), (self.height() - top - 10) / len(sectors)
        )
        highest = max(max(row.values()) for row in self.matrix.values()) or 1
        accent = ui_colour("accent")
        bold = QFont(self.font())
        bold.setBold(True)
        for i, sector in enumerate(sectors):
            self._sector_label(
                painter,
                QRectF(4, top + i * size, left - 8, size),
                sector,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            )
            self._sector_label(
                painter,
                QRectF(left + i * size, 4, size, top - 8),
                sector,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            )
            for j, other in enumerate(sectors):
                count = self.matrix[sector][other]
                cell = QRectF(left + j * size, top + i * size, size, size).adjusted(1, 1, -1, -1)
                shade = QColor(accent)
                shade.setAlphaF(0.08 + 0.92 * count / highest)
                painter.fillRect(cell, shade)
                if i == j:
                    painter.setPen(QPen(ui_colour("text"), 2))
                    painter.drawRect(cell.adjusted(1, 1, -1, -1))
                painter.setPen(QColor("white") if count / highest > 0.5 else ui_colour("text"))
                painter.setFont(bold)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(count))
                painter.setFont(self.font())
        painter.end()

    def _sector_label(self, painter: QPainter, rect: QRectF, sector: str, align) -> None:
        painter.setPen(ui_colour("text"))
        label = SECTOR_LABELS[sector].replace(" sector", "")
        painter.drawText(
            rect.adjusted(0, 0, -14 if rect.left() < 10 else 0, 0),
            align | Qt.TextFlag.TextWordWrap,
            label,
        )
        if rect.left() < 10:  # row label: colour chip at its right edge
            chip = QRectF(rect.right() - 10, rect.center().y() - 5, 10, 10)
            painter.fillRect(chip, QColor(sector_colour(sector)))


def _fill(widget: QListWidget, names: list[str], empty: str) -> None:
    widget.clear()
    widget.addItems(names or [empty])


class NetworkSummary(QWidget):
    """Heat map on the left; brokers, single points of failure and isolates on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.heat = MixingHeatMap()
        self.brokers = QListWidget()
        self.brokers.setAccessibleName("Brokers")
        self.cut_points = QListWidget()
        self.cut_points.setAccessibleName("Single points of failure")
        self.isolates = QListWidget()
        self.isolates.setAccessibleName("Isolates")

        side = QVBoxLayout()
        for title, why, widget in (
            ("Brokers", "actors most often on the shortest path between others", self.brokers),
            (
                "Single points of failure",
                "remove one and the network splits apart",
                self.cut_points,
            ),
            ("Isolates", "mapped but tied to no one", self.isolates),
        ):
            heading = QLabel(f"<b>{title}</b> <span style='color:#5F6B73'>— {why}</span>")
            heading.setWordWrap(True)
            side.addWidget(heading)
            side.addWidget(widget, 1)
        caption = QLabel(
            "<b>Ties between sectors</b> (number of tied pairs; outlined: within a sector)"
        )
        caption.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(caption)
        left.addWidget(self.heat, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(body, 1)

    def show_metrics(self, metrics: NetworkMetrics | None, maps: int) -> None:
        has = metrics is not None
        for widget in (self.heat, self.brokers, self.cut_points, self.isolates):
            widget.setEnabled(has)
        if metrics is None:
            self.headline.setText(
                "No relationship maps for this site and round: the indicators use interviews "
                "only. Map the relationships to see how the sectors connect."
            )
            self.heat.set_matrix({})
            for widget in (self.brokers, self.cut_points, self.isolates):
                _fill(widget, [], NONE_FOUND)
            return
        names = metrics.names
        self.headline.setText(
            f"{metrics.actors} actors and {metrics.ties} ties from {maps} map"
            f"{'s' if maps != 1 else ''}; density {metrics.density:.2f}; "
            f"{len(metrics.components)} connected group{'s' if len(metrics.components) != 1 else ''}."
        )
        self.heat.set_matrix(metrics.mixing)
        _fill(self.brokers, [names.get(k, k) for k in metrics.brokers], NONE_FOUND)
        _fill(
            self.cut_points,
            [names.get(k, k) for k in metrics.articulation_points],
            "none: no single actor holds it together",
        )
        _fill(self.isolates, [names.get(k, k) for k in metrics.isolates], NONE_FOUND)
