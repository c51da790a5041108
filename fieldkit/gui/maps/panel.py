"""The side panel of the map editor: the selected actor's or tie's fields.

The panel never edits the map: each finished edit is emitted as `changed({field: value})` and
the editor makes it an undo command; when the model refuses, the editor calls `show_*` again
and the panel snaps back to the model's values.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.maps.dialogs import (
    SPIN_NOT_ASKED,
    direction_box,
    influence_spin,
    kind_box,
    sector_box,
    select,
    strength_box,
    type_box,
)
from fieldkit.mapping.model import Actor, Tie
from fieldkit.mapping.vocabulary import MapVocabulary

NOTES_DEBOUNCE_MS = 600


class ActorPanel(QWidget):
    changed = Signal(dict)
    deleteRequested = Signal()

    def __init__(self, vocabulary: MapVocabulary, parent: QWidget | None = None):
        super().__init__(parent)
        self.vocabulary = vocabulary
        self.actor: Actor | None = None
        self.title = QLabel()
        self.title.setObjectName("SectionTitle")
        self.name = QLineEdit()
        self.name.setAccessibleName("Actor name")
        self.sector = sector_box()
        self.kind = kind_box()
        self.influence = influence_spin()
        self.influence.setKeyboardTracking(False)
        self.goals_list = QListWidget()
        self.goals_list.setAccessibleName("Goals")
        self.goals_list.setMaximumHeight(120)
        self.goals_text = QLineEdit()
        self.goals_text.setAccessibleName("Goals")
        self.goals_text.setPlaceholderText("goal codes, separated by commas")
        for goal in vocabulary.goals:
            item = QListWidgetItem(goal.label)
            item.setData(Qt.ItemDataRole.UserRole, goal.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.goals_list.addItem(item)
        self.goals_list.setVisible(bool(vocabulary.goals))
        self.goals_text.setVisible(not vocabulary.goals)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Discussion notes")
        self.notes.setMaximumHeight(110)
        self.sensitive = QCheckBox("Sensitive (kept out of packs)")
        self.delete = QPushButton("Delete actor…")
        self.delete.setAccessibleName("Delete actor")

        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Sector:", self.sector)
        form.addRow("Kind:", self.kind)
        form.addRow("Influence:", self.influence)
        form.addRow("Goals:", self.goals_list if vocabulary.goals else self.goals_text)
        form.addRow("Notes:", self.notes)
        form.addRow("", self.sensitive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.delete, 0, Qt.AlignmentFlag.AlignLeft)

        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_DEBOUNCE_MS)
        self._notes_timer.timeout.connect(self._notes_done)
        self.notes.installEventFilter(self)

        self.name.editingFinished.connect(lambda: self._emit("name", self.name.text().strip()))
        self.sector.activated.connect(lambda: self._emit("sector", self.sector.currentData()))
        self.kind.activated.connect(lambda: self._emit("kind", self.kind.currentData()))
        self.influence.valueChanged.connect(self._influence_changed)
        self.goals_list.itemChanged.connect(lambda _item: self._emit("goals", self._goals()))
        self.goals_text.editingFinished.connect(lambda: self._emit("goals", self._goals()))
        self.notes.textChanged.connect(self._notes_timer.start)
        self.sensitive.toggled.connect(lambda on: self._emit("notes_sensitive", on))
        self.delete.clicked.connect(self.deleteRequested)
        self._loading = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.notes and event.type() == QEvent.Type.FocusOut:
            self._notes_done()
        return super().eventFilter(watched, event)

    def show_actor(self, actor: Actor) -> None:
        self._loading = True
        try:
            self.actor = actor
            self.title.setText(f"<b>{actor.name}</b>")
            if self.name.text() != actor.name:
                self.name.setText(actor.name)
            select(self.sector, actor.sector)
            select(self.kind, actor.kind)
            self.influence.setValue(
                SPIN_NOT_ASKED if actor.influence is None else int(actor.influence)
            )
            for i in range(self.goals_list.count()):
                item = self.goals_list.item(i)
                code = item.data(Qt.ItemDataRole.UserRole)
                item.setCheckState(
                    Qt.CheckState.Checked if code in actor.goals else Qt.CheckState.Unchecked
                )
            self.goals_text.setText(", ".join(actor.goals))
            if self.notes.toPlainText() != actor.notes:
                self.notes.setPlainText(actor.notes)
            self._notes_timer.stop()
            self.sensitive.setChecked(actor.notes_sensitive)
        finally:
            self._loading = False

    def _emit(self, field: str, value: Any) -> None:
        if self._loading or self.actor is None:
            return
        if getattr(self.actor, field) != value:
            self.changed.emit({field: value})

    def _influence_changed(self, value: int) -> None:
        self._emit("influence", None if value == SPIN_NOT_ASKED else value)

    def _goals(self) -> list[str]:
        if self.vocabulary.goals:
            return [
                self.goals_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.goals_list.count())
                if self.goals_list.item(i).checkState() == Qt.CheckState.Checked
            ]
        return [code.strip() for code in self.goals_text.text().split(",") if code.strip()]

    def _notes_done(self) -> None:
        self._notes_timer.stop()
        self._emit("notes", self.notes.toPlainText())


class TiePanel(QWidget):
    changed = Signal(dict)
    deleteRequested = Signal()

    def __init__(self, vocabulary: MapVocabulary, parent: QWidget | None = None):
        super().__init__(parent)
        self.tie: Tie | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.type = type_box(vocabulary)
        self.direction = direction_box()
        self.strength = strength_box()
        self.note = QLineEdit()
        self.note.setAccessibleName("Tie note")
        self.delete = QPushButton("Delete tie…")
        self.delete.setAccessibleName("Delete tie")
        form = QFormLayout()
        form.addRow("Type:", self.type)
        form.addRow("Direction:", self.direction)
        form.addRow("Strength:", self.strength)
        form.addRow("Note:", self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.delete, 0, Qt.AlignmentFlag.AlignLeft)
        self._loading = False
        self.type.activated.connect(lambda: self._emit("type", self.type.currentData()))
        self.direction.activated.connect(
            lambda: self._emit("direction", self.direction.currentData())
        )
        self.strength.activated.connect(lambda: self._emit("strength", self.strength.currentData()))
        self.note.editingFinished.connect(lambda: self._emit("note", self.note.text()))
        self.delete.clicked.connect(self.deleteRequested)

    def show_tie(self, tie: Tie, source_name: str, target_name: str) -> None:
        self._loading = True
        try:
            self.tie = tie
            arrow = "↔" if tie.mutual else "→"
            self.title.setText(f"<b>{source_name}</b> {arrow} <b>{target_name}</b>")
            select(self.type, tie.type)
            select(self.direction, tie.direction)
            select(self.strength, tie.strength)
            if self.note.text() != tie.note:
                self.note.setText(tie.note)
        finally:
            self._loading = False

    def _emit(self, field: str, value: Any) -> None:
        if self._loading or self.tie is None:
            return
        if getattr(self.tie, field) != value:
            self.changed.emit({field: value})
