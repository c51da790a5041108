"""The live metrics beside a canvas: density, brokers, single points of failure, cross-sector
ties, isolates, from `fieldkit.mapping.metrics.compute_metrics` (the figures the packs use).

`LiveMetrics` recomputes after edits, debounced so a burst of edits costs one computation, and
for a big network on a worker thread from a snapshot, so the canvas never waits for networkx.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from itertools import combinations
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from fieldkit import vocab
from fieldkit.gui.maps.tasks import BackgroundCall
from fieldkit.mapping.metrics import NetworkMetrics

DEBOUNCE_MS = 300
THREAD_ABOVE = 60  # actors; below this the metrics take a few ms and run inline
NAMES_SHOWN = 3


def cross_sector_pairs(metrics: NetworkMetrics) -> int:
    """Tied pairs of actors whose sectors differ (from the mixing matrix)."""
    return sum(metrics.mixing[a][b] for a, b in combinations(vocab.SECTORS, 2))


def _names(metrics: NetworkMetrics, keys: list[str]) -> str:
    if not keys:
        return "none"
    shown = [metrics.names.get(k, k) for k in keys[:NAMES_SHOWN]]
    more = len(keys) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class MetricsPanel(QGroupBox):
    def __init__(self, title: str = "Network", parent: QWidget | None = None):
        super().__init__(title, parent)
        self.setAccessibleName("Live network metrics")
        self.fields: dict[str, QLabel] = {}
        self.values: dict[str, str] = {}
        self.captions: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        for key, label in (
            ("size", "Actors / ties"),
            ("density", "Density"),
            ("brokers", "Brokers"),
            ("points", "Single points of failure"),
            ("cross", "Cross-sector ties"),
            ("isolates", "Isolates"),
        ):
            # One wrapped label a row ("Brokers: a, b, c"): long lists of names wrap cleanly.
            value = QLabel()
            value.setWordWrap(True)
            value.setAccessibleName(label)
            value.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(value)
            self.fields[key] = value
            self.captions[key] = label
            self._set(key, "…")
        self.metrics: NetworkMetrics | None = None

    def _set(self, key: str, text: str) -> None:
        self.values[key] = text
        self.fields[key].setText(f"<b>{escape(self.captions[key])}:</b> {escape(text)}")

    def show_metrics(self, metrics: NetworkMetrics) -> None:
        self.metrics = metrics
        cross = cross_sector_pairs(metrics)
        ei = "" if metrics.ei_index is None else f" (E-I {metrics.ei_index:+.2f})"
        values = {
            "size": f"{metrics.actors} / {metrics.ties}",
            "density": f"{metrics.density:.2f}",
            "brokers": _names(metrics, metrics.brokers),
            "points": _names(metrics, metrics.articulation_points),
            "cross": f"{cross} of {metrics.tied_pairs} tied pairs{ei}",
            "isolates": _names(metrics, metrics.isolates),
        }
        for key, text in values.items():
            self._set(key, text)

    def show_message(self, text: str) -> None:
        for key in self.fields:
            self._set(key, "")
        self._set("size", text)

    def text(self, key: str) -> str:
        """The value shown for one metric (without its caption)."""
        return self.values[key]


class LiveMetrics(QObject):
    """Recompute on `schedule()`; inline when small, on the pool when big; stale results dropped."""

    updated = Signal(object)  # NetworkMetrics

    def __init__(
        self,
        panel: MetricsPanel,
        snapshot: Callable[[], Any],
        compute: Callable[[Any], NetworkMetrics],
        size: Callable[[], int],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.panel = panel
        self.snapshot = snapshot
        self.compute = compute
        self.size = size
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_now)
        self._call: BackgroundCall | None = None
        self.runs = 0  # computations started (tests check the debounce)
        self.threaded_runs = 0

    def schedule(self) -> None:
        self.timer.start()

    def run_now(self) -> None:
        self.timer.stop()
        if self._call is not None:
            self._call.cancel()
            self._call = None
        self.runs += 1
        data = self.snapshot()
        if self.size() <= THREAD_ABOVE:
            self._show(self.compute(data))
            return
        self.threaded_runs += 1
        compute = self.compute
        call = BackgroundCall(lambda: compute(data))
        call.done.connect(self._show)
        call.failed.connect(self.panel.show_message)
        self._call = call
        self.panel.setTitle(self.panel.title().rstrip(" …") + " …")
        call.start()

    def busy(self) -> bool:
        return self.timer.isActive() or (self._call is not None and self._call.running)

    def _show(self, metrics: NetworkMetrics) -> None:
        self._call = None
        self.panel.setTitle(self.panel.title().rstrip(" …"))
        self.panel.show_metrics(metrics)
        self.updated.emit(metrics)

    def stop(self) -> None:
        self.timer.stop()
        if self._call is not None:
            self._call.cancel()
            self._call = None
