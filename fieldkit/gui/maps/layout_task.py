"""'Tidy' and 'Arrange by sector': a networkx layout computed off the UI thread, applied as one
undoable step.

Hand positions carry meaning (close = close), so nothing moves unless the user asks; then the
layout is computed on a snapshot of the map in the background (a busy bar after a short delay,
with Cancel) and applied through `MoveActors`, so one Ctrl+Z puts every actor back.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QProgressDialog, QWidget

from fieldkit.gui.maps.commands import MoveActors, push_command
from fieldkit.gui.maps.tasks import BackgroundCall
from fieldkit.mapping.layout import LAYOUT_SCALE, layout_positions, practical_method
from fieldkit.mapping.model import Map

SPACE_PER_ACTOR = 115.0  # canvas units of radius per sqrt(actor): names stay readable
PROGRESS_DELAY_MS = 400  # no flash of a progress bar for a layout that takes a blink
METHOD_LABELS = {
    "spring": "Tidy (spring layout)",
    "kamada_kawai": "Tidy (Kamada-Kawai layout)",
    "sector": "Arrange by sector",
}


def layout_scale(actors: int) -> float:
    """Room for the actors: the shared 300-unit radius crowds labels beyond a dozen actors."""
    return max(LAYOUT_SCALE, SPACE_PER_ACTOR * math.sqrt(actors))


def compute_layout(snapshot: dict, method: str) -> dict[str, tuple[float, float]]:
    """The worker's part: positions for every actor of a map snapshot (`Map.to_dict()`)."""
    the_map = Map.from_dict(snapshot)
    return layout_positions(the_map, method, keep=False, scale=layout_scale(len(the_map.actors)))


class LayoutTask(QObject):
    """One layout request of the editor; emits `applied` or `failed` when it is over."""

    applied = Signal(int)  # how many actors moved
    failed = Signal(str)

    def __init__(
        self,
        the_map: Map,
        stack: QUndoStack,
        method: str,
        parent: QWidget | None = None,
        on_error: Callable[[str], None] | None = None,
    ):
        super().__init__(parent)
        self.map = the_map
        self.stack = stack
        self.requested = method
        # A big map gets the spring layout instead of Kamada-Kawai; `note` tells the user so.
        self.method, self.note = practical_method(method, len(the_map.actors))
        method = self.method
        self.parent_widget = parent
        self.on_error = on_error
        snapshot = the_map.to_dict()
        self.call = BackgroundCall(lambda: compute_layout(snapshot, method))
        self.call.done.connect(self._done)
        self.call.failed.connect(self._failed)
        self.progress: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    def start(self) -> None:
        self.call.start()
        self._timer.start(PROGRESS_DELAY_MS)

    @property
    def running(self) -> bool:
        return self.call.running and not self.call.cancelled

    def cancel(self) -> None:
        self.call.cancel()
        self._close_progress()

    def _show_progress(self) -> None:
        if not self.running:
            return
        dialog = QProgressDialog(
            f"{METHOD_LABELS.get(self.method, self.method)}…", "Cancel", 0, 0, self.parent_widget
        )
        dialog.setWindowTitle("Arranging the map")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.progress = dialog

    def _close_progress(self) -> None:
        self._timer.stop()
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, positions: dict[str, tuple[float, float]]) -> None:
        self._close_progress()
        # Actors deleted while the layout ran are left out; new ones keep their place.
        positions = {k: p for k, p in positions.items() if k in self.map.actors}
        moved = {
            k: p for k, p in positions.items() if (self.map.actors[k].x, self.map.actors[k].y) != p
        }
        if moved:
            push_command(self.stack, MoveActors(self.map, moved, METHOD_LABELS[self.method]))
        self.applied.emit(len(moved))

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.failed.emit(message)
