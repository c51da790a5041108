"""The GUI's shared state: the open project and the chosen site and round.

Pages listen to its signals instead of to each other, so a page can be added or removed
without touching the rest; `changed(kind)` after each operation lets views refresh selectively
(the Anki "changes" pattern).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from fieldkit.store import Project


class Session(QObject):
    projectChanged = Signal()
    filterChanged = Signal()
    changed = Signal(str)  # "interviews", "maps", "actions", "forms", "sites", "rounds", ...
    status = Signal(str)  # a short message for the status bar

    def __init__(self, data_dir: Path, project: Project | None = None):
        super().__init__()
        self.data_dir = data_dir
        self.project: Project | None = project
        self.site: str | None = None  # site id
        self.round: str | None = None  # round id

    def set_project(self, project: Project | None) -> None:
        if self.project is not None and self.project is not project:
            self.project.close()
        self.project = project
        self.site = None
        self.round = None
        if project is not None:
            sites = project.sites.list()
            rounds = project.rounds.list()
            self.site = sites[0]["id"] if sites else None
            self.round = rounds[-1]["id"] if rounds else None
        self.projectChanged.emit()

    def set_site(self, site_id: str | None) -> None:
        if site_id != self.site:
            self.site = site_id
            self.filterChanged.emit()

    def set_round(self, round_id: str | None) -> None:
        if round_id != self.round:
            self.round = round_id
            self.filterChanged.emit()

    def notify(self, kind: str) -> None:
        self.changed.emit(kind)

    def close(self) -> None:
        if self.project is not None:
            self.project.close()
            self.project = None
