"""Small dialogs of the map editor: a new actor (with the site's roster), a new tie, pick from
the roster.

Each dialog only collects values; the editor turns them into undo commands, so a dialog never
changes the map itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit import vocab
from fieldkit.mapping.names import normalise_name
from fieldkit.mapping.vocabulary import MapVocabulary

KIND_LABELS = {"person": "Person", "group": "Group", "organisation": "Organisation"}
DIRECTION_LABELS = {"one-way": "One way (arrow)", "mutual": "Both ways (mutual)"}
STRENGTH_LABELS = {1: "1 - weak", 2: "2 - medium", 3: "3 - strong"}


def sector_box() -> QComboBox:
    box = QComboBox()
    for sector in vocab.SECTORS:
        box.addItem(vocab.SECTOR_LABELS[sector], sector)
    box.setAccessibleName("Sector")
    return box


def kind_box() -> QComboBox:
    box = QComboBox()
    for kind in vocab.ACTOR_KINDS:
        box.addItem(KIND_LABELS.get(kind, kind), kind)
    box.setAccessibleName("Kind")
    return box


def type_box(vocabulary: MapVocabulary) -> QComboBox:
    box = QComboBox()
    for link in vocabulary.link_types:
        box.addItem(link.label, link.name)
    box.setAccessibleName("Tie type")
    return box


def direction_box() -> QComboBox:
    box = QComboBox()
    for direction in vocab.DIRECTIONS:
        box.addItem(DIRECTION_LABELS.get(direction, direction), direction)
    box.setAccessibleName("Direction")
    return box


def strength_box() -> QComboBox:
    box = QComboBox()
    for strength in vocab.STRENGTHS:
        box.addItem(STRENGTH_LABELS.get(strength, str(strength)), strength)
    box.setCurrentIndex(box.findData(2))
    box.setAccessibleName("Strength")
    return box


def select(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


class AddActorDialog(QDialog):
    """Name (completed from the site's roster: pick an existing actor, do not retype it),
    sector and kind; choosing a roster name fills in its sector and kind."""

    def __init__(self, roster: Sequence[dict[str, Any]] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add actor")
        self.roster = {normalise_name(r["name"]): r for r in roster}
        self.name = QLineEdit()
        self.name.setAccessibleName("Actor name")
        self.name.setPlaceholderText("Who makes things happen here?")
        completer = QCompleter([r["name"] for r in roster], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.sector = sector_box()
        self.kind = kind_box()
        select(self.kind, "organisation")
        self.known = QLabel()
        self.known.setObjectName("Muted")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Sector:", self.sector)
        form.addRow("&Kind:", self.kind)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.known)
        layout.addWidget(buttons)
        self.name.textChanged.connect(self._name_changed)
        completer.activated.connect(self._name_changed)
        self._name_changed(self.name.text())

    def _name_changed(self, text: str) -> None:
        self.ok.setEnabled(bool(normalise_name(text)))
        known = self.roster.get(normalise_name(text))
        if known:
            select(self.sector, known["sector"])
            select(self.kind, known["kind"])
            maps = known.get("maps") or 0
            self.known.setText(f"Known actor: on {maps} earlier map{'s' if maps != 1 else ''}")
        else:
            self.known.setText("New actor: it joins the site's roster")

    def values(self) -> dict[str, str]:
        return {
            "name": self.name.text().strip(),
            "sector": self.sector.currentData(),
            "kind": self.kind.currentData(),
        }


class TieDialog(QDialog):
    """Type, direction and strength of a tie just drawn from one actor to another."""

    def __init__(
        self,
        vocabulary: MapVocabulary,
        source_name: str,
        target_name: str,
        link_type: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("New tie")
        self.type = type_box(vocabulary)
        if link_type:
            select(self.type, link_type)
        self.direction = direction_box()
        self.strength = strength_box()
        form = QFormLayout()
        form.addRow(QLabel(f"<b>{source_name}</b> → <b>{target_name}</b>"))
        form.addRow("&Type:", self.type)
        form.addRow("&Direction:", self.direction)
        form.addRow("&Strength:", self.strength)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "type": self.type.currentData(),
            "direction": self.direction.currentData(),
            "strength": self.strength.currentData(),
        }


class RosterDialog(QDialog):
    """Tick the site's known actors to put them on this map at once."""

    def __init__(self, roster: Sequence[dict[str, Any]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Actors from earlier maps of this site")
        self.list = QListWidget()
        self.list.setAccessibleName("Known actors")
        for row in roster:
            maps = row.get("maps") or 0
            text = (
                f"{row['name']}  ·  {vocab.SECTOR_LABELS.get(row['sector'], row['sector'])}"
                f"  ·  on {maps} map{'s' if maps != 1 else ''}"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel("Tick the actors the participant names; they keep their sector and kind.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(460, 420)

    def check(self, name: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole)["name"] == name:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[dict[str, Any]]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class ConfirmDelete:
    """Ask before deleting; replaced in tests by a callable that answers."""

    def __call__(self, parent: QWidget, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            parent,
            "Delete",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


SPIN_NOT_ASKED = -1


def influence_spin() -> QSpinBox:
    """0-10, with 'not asked' below 0 (the model's None)."""
    spin = QSpinBox()
    low, high = vocab.INFLUENCE_RANGE
    spin.setRange(SPIN_NOT_ASKED, high)
    spin.setSpecialValueText("not asked")
    spin.setAccessibleName("Influence")
    spin.setMinimum(SPIN_NOT_ASKED if low == 0 else low - 1)
    return spin
