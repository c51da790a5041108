"""One input widget per question type, and the card that frames a question on a screen.

Widgets only present: they read choices and values from the engine and *ask* for an answer
by emitting `answered(key, raw)`; the runner passes it to `InterviewSession.set`, which
coerces, validates and makes it durable. Typed input is debounced (TEXT_DEBOUNCE_MS, well
under the 300 ms durability promise) and flushed at once on focus-out, so a crash loses
nothing the fieldworker saw accepted; choices are sent immediately.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from fieldkit.fieldwork import InterviewSession
from fieldkit.forms.model import ATTACHMENT_TYPES, GEO_TYPES, Choice, Node

TEXT_DEBOUNCE_MS = 250  # typed answers are durable within 300 ms of the last key
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}


def scaled_font(widget: QWidget, factor: float, bold: bool = False):
    """The widget's font scaled from the system size, so type follows the user's settings."""
    font = widget.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def fit_text_width(edit: QLineEdit, sample: str) -> int:
    """A short input at least as wide as `sample` in its own font (so "YYYY-MM-DD HH:MM" is
    not cut off, at any system font size); returns the width set."""
    width = edit.fontMetrics().horizontalAdvance(sample) + 4 * edit.fontMetrics().averageCharWidth()
    edit.setMinimumWidth(width)
    return width


def is_right_to_left(language: str) -> bool:
    """From the XLSForm language name: 'Urdu (ur)' by its code, else 'Urdu' by its name."""
    match = re.search(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)\s*$", language)
    if match:
        locale = QLocale(match.group(1))
        if locale.language() != QLocale.Language.C:
            return locale.textDirection() == Qt.LayoutDirection.RightToLeft
    name = language.split("(")[0].strip().replace(" ", "")
    enum = getattr(QLocale.Language, name, None)
    if enum is None:
        return False
    return QLocale(enum).textDirection() == Qt.LayoutDirection.RightToLeft


def digit_for(index: int) -> int | None:
    """Choice 1..9 is picked by its digit, the tenth by 0; later choices have no digit."""
    if index < 9:
        return index + 1
    return 0 if index == 9 else None


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"


class QuestionWidget(QWidget):
    """Base: a key, its node, the session to read from, and the `answered` request."""

    answered = Signal(str, object)  # key, raw value (None clears)
    editing = Signal(str)  # typed input waiting for its debounce (the mark says "Saving…")

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(parent)
        self.key = key
        self.node = node
        self.session = session
        self.setAccessibleName(session.engine.label(key) or node.name)

    # what the runner calls ----------------------------------------------------------
    def show_value(self, value: object) -> None:
        """Display a stored value without asking for it to be saved again."""

    def refresh_choices(self) -> None:
        """Choices may have changed (choice_filter, language)."""

    def flush(self) -> None:
        """Send any typed-but-not-yet-sent input now."""

    @property
    def pending(self) -> bool:
        return False

    def pick(self, digit: int) -> bool:
        """A digit key on a select screen; True if it picked something."""
        return False

    def set_read_only(self, read_only: bool) -> None:
        for child in self.findChildren(QWidget):
            child.setEnabled(not read_only)

    def retranslate(self) -> None:
        self.setAccessibleName(self.session.engine.label(self.key) or self.node.name)
        self.refresh_choices()

    def _emit(self, value: object) -> None:
        self.answered.emit(self.key, value)

    def _value(self) -> object:
        return self.session.engine.value(self.key)


class _Debounced(QuestionWidget):
    """Typed input: sent TEXT_DEBOUNCE_MS after the last change, or at once on focus-out."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self._dirty = False

    def _changed(self) -> None:
        self._dirty = True
        self._timer.start()
        self.editing.emit(self.key)

    @property
    def pending(self) -> bool:
        return self._dirty

    def flush(self) -> None:
        self._timer.stop()
        if self._dirty:
            self._dirty = False
            text = self.text()
            self._emit(self.to_raw(text))

    def text(self) -> str:
        raise NotImplementedError

    def to_raw(self, text: str) -> object:
        return text.strip() or None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False


class TextWidget(_Debounced):
    """text and barcode (typed); `multiline` appearance gives a box of several lines."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.multiline = "multiline" in node.appearance.split()
        if self.multiline:
            self.edit: QLineEdit | QPlainTextEdit = QPlainTextEdit()
            self.edit.setTabChangesFocus(True)
            self.edit.setMinimumHeight(90)
            self.edit.setMaximumHeight(160)
            self.edit.textChanged.connect(self._changed)
        else:
            self.edit = QLineEdit()
            self.edit.textEdited.connect(self._changed)
            self.edit.editingFinished.connect(self.flush)
        if node.type == "barcode":
            self.edit.setPlaceholderText("Type or scan the code")
        self.edit.setAccessibleName(self.accessibleName())
        self.edit.installEventFilter(self)
        self.setFocusProxy(self.edit)
        layout.addWidget(self.edit)
        self.show_value(self._value())

    def text(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text()

    def to_raw(self, text: str) -> object:
        return text if text.strip() else None

    def show_value(self, value: object) -> None:
        text = "" if value is None else str(value)
        if text == self.text():
            return
        self.edit.blockSignals(True)
        if isinstance(self.edit, QPlainTextEdit):
            self.edit.setPlainText(text)
        else:
            self.edit.setText(text)
        self.edit.blockSignals(False)

    def retranslate(self) -> None:
        super().retranslate()
        self.edit.setAccessibleName(self.accessibleName())


class NumberWidget(TextWidget):
    """integer / decimal: only characters of a number can be typed; the engine checks the rest."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        pattern = r"-?\d{0,15}" if node.type == "integer" else r"-?\d{0,15}([.,]\d{0,10})?"
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.edit.setMaximumWidth(240)
        self.edit.setPlaceholderText("a whole number" if node.type == "integer" else "a number")
        fit_text_width(self.edit, "a whole number")
        self.layout().addStretch(1)

    def to_raw(self, text: str) -> object:
        text = text.strip().replace(",", ".")
        return text if text not in ("", "-", ".") else None


class GeoWidget(TextWidget):
    """Typed coordinates: 'lat lon [alt [accuracy]]', one point per line for traces and shapes."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        node_for_box = Node(
            node.name, node.type, appearance="multiline" if node.type != "geopoint" else ""
        )
        super().__init__(key, node_for_box, session, parent)
        self.node = node
        self.edit.setPlaceholderText(
            "lat lon [altitude [accuracy]], e.g. 53.50 -2.24"
            if node.type == "geopoint"
            else "one point per line: lat lon [altitude [accuracy]]"
        )

    def to_raw(self, text: str) -> object:
        points = [line.strip() for line in text.replace(";", "\n").splitlines() if line.strip()]
        return ";".join(points) or None

    def show_value(self, value: object) -> None:
        text = "" if value is None else str(value).replace(";", "\n")
        if self.to_raw(text) == self.to_raw(self.text()):
            return
        super().show_value(text)


class DateTimeWidget(TextWidget):
    """date / time / dateTime: typed ISO text plus a calendar picker and a 'now' button."""

    FORMATS = {"date": "YYYY-MM-DD", "time": "HH:MM", "dateTime": "YYYY-MM-DD HH:MM"}

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, Node(node.name, "text"), session, parent)
        self.node = node
        self.edit.setPlaceholderText(self.FORMATS[node.type])
        self.edit.setMaximumWidth(fit_text_width(self.edit, self.FORMATS[node.type]) * 2)
        layout = self.layout()
        if node.type in ("date", "dateTime"):
            self.calendar = QCalendarWidget()
            self.calendar.setAccessibleName("Calendar")
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
            menu = QMenu(self)
            holder = QWidgetAction(menu)
            holder.setDefaultWidget(self.calendar)
            menu.addAction(holder)
            self.pick_button = QToolButton()
            self.pick_button.setText("Calendar…")
            self.pick_button.setAccessibleName("Pick a date from the calendar")
            self.pick_button.setMenu(menu)
            self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            self._menu = menu
            layout.addWidget(self.pick_button)
        now = QPushButton("Today" if node.type == "date" else "Now")
        now.setAccessibleName(f"{now.text()} for {self.accessibleName()}")
        now.clicked.connect(self._now)
        layout.addWidget(now)
        layout.addStretch(1)

    def to_raw(self, text: str) -> object:
        text = text.strip()
        if self.node.type == "dateTime" and len(text) > 10 and text[10] == " ":
            text = text[:10] + "T" + text[11:]
        return text or None

    def show_value(self, value: object) -> None:
        text = "" if value is None else str(value)
        if self.node.type == "dateTime":
            text = text.replace("T", " ")[:16]
        elif self.node.type == "time":
            text = text[:5]
        if self.to_raw(text) == self.to_raw(self.text()):
            return
        super().show_value(text)

    def _set_text(self, text: str) -> None:
        self.edit.setText(text)
        self._dirty = True
        self.flush()

    def _picked(self, date: QDate) -> None:
        iso = date.toString("yyyy-MM-dd")
        if self.node.type == "dateTime":
            current = self.text().strip()
            hours = current[11:16] if len(current) >= 16 else "00:00"
            iso = f"{iso} {hours}"
        self._menu.close()
        self._set_text(iso)

    def _now(self) -> None:
        now = dt.datetime.now()
        formats = {"date": "%Y-%m-%d", "time": "%H:%M", "dateTime": "%Y-%m-%d %H:%M"}
        self._set_text(now.strftime(formats[self.node.type]))


class RangeWidget(QuestionWidget):
    """range: a slider between start and end by step, the value shown beside it."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        params = node.parameters
        self.start = float(params.get("start", 1))
        self.end = float(params.get("end", 10))
        self.step = float(params.get("step", 1)) or 1.0
        ticks = round(abs(self.end - self.start) / self.step)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, ticks)
        self.slider.setPageStep(max(1, ticks // 10))
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setAccessibleName(self.accessibleName())
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(60)
        self.value_label.setFont(scaled_font(self.value_label, 1.3, bold=True))
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName(f"Clear {self.accessibleName()}")
        self.clear_button.clicked.connect(lambda: self._emit(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self._show(self.start)))
        layout.addWidget(self.slider, 1)
        layout.addWidget(QLabel(self._show(self.end)))
        layout.addWidget(self.value_label)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.slider)
        self.slider.valueChanged.connect(self._moved)
        self.show_value(self._value())

    @staticmethod
    def _show(number: float) -> str:
        return str(int(number)) if float(number).is_integer() else f"{number:g}"

    def _number(self, tick: int) -> float:
        direction = 1 if self.end >= self.start else -1
        return self.start + direction * tick * self.step

    def _moved(self, tick: int) -> None:
        number = self._number(tick)
        self.value_label.setText(self._show(number))
        self._emit(int(number) if number.is_integer() else round(number, 10))

    def show_value(self, value: object) -> None:
        self.slider.blockSignals(True)
        if value is None:
            self.slider.setValue(0)
            self.value_label.setText("—")
        else:
            tick = round(abs(float(value) - self.start) / self.step)  # type: ignore[arg-type]
            self.slider.setValue(tick)
            self.value_label.setText(self._show(float(value)))  # type: ignore[arg-type]
        self.slider.blockSignals(False)


class _ChoiceWidget(QuestionWidget):
    """Shared by the select widgets: the offered choices, in the current language."""

    def choices(self) -> list[Choice]:
        return self.session.engine.choices_for(self.key)

    def _note_if_empty(self, layout, empty: bool) -> None:
        """With nothing to offer (a choice_filter on an earlier answer), say so rather than
        show a bare Clear button."""
        note = getattr(self, "_empty_note", None)
        if note is None and empty:
            note = QLabel("No choices yet: they depend on an earlier answer.")
            note.setObjectName("Muted")
            layout.insertWidget(0, note)
            self._empty_note = note
        if note is not None:
            note.setVisible(empty)

    def choice_text(self, index: int, choice: Choice) -> str:
        """'1.  Yes'; in a right-to-left language the marks keep '1.' at the start."""
        digit = digit_for(index)
        text = choice.text(self.session.engine.language)
        if digit is None:
            return text
        if is_right_to_left(self.session.engine.language):
            return f"\u200f{digit}.\u200f  {text}"
        return f"{digit}.  {text}"


class SelectOneWidget(_ChoiceWidget):
    """select_one: radio list; `likert` lays the scale out in one row; digits pick."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.likert = "likert" in node.appearance.split()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(self._clicked)
        self.box = QHBoxLayout() if self.likert else QVBoxLayout()
        self.box.setSpacing(10 if self.likert else 4)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName(f"Clear {self.accessibleName()} (Delete key)")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the next question
        self.clear_button.clicked.connect(lambda: self._emit(None))
        outer = QHBoxLayout(self)  # the choices, then Clear at the far end of the same rows
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.box)
        outer.addStretch(1)
        outer.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._names: list[str] = []
        self.buttons: list[QRadioButton] = []
        self.refresh_choices()

    def refresh_choices(self) -> None:
        choices = self.choices()
        names = [c.name for c in choices]
        if names != self._names:
            for button in self.buttons:
                self.group.removeButton(button)
                button.deleteLater()
            self.buttons = []
            for index in range(len(choices)):
                button = QRadioButton()
                button.setFont(scaled_font(button, 1.1))
                self.group.addButton(button, index)
                self.box.addWidget(button)
                self.buttons.append(button)
            if self.likert:
                self.box.addStretch(1)
            self._names = names
            if self.buttons:
                self.setFocusProxy(self.buttons[0])
        for index, (button, choice) in enumerate(zip(self.buttons, choices, strict=True)):
            button.setText(self.choice_text(index, choice))
            button.setAccessibleName(choice.text(self.session.engine.language))
        self._note_if_empty(self.box, not choices)
        self.show_value(self._value())

    def _clicked(self, index: int) -> None:
        self._emit(self._names[index])

    def show_value(self, value: object) -> None:
        self.group.setExclusive(False)
        for name, button in zip(self._names, self.buttons, strict=True):
            button.setChecked(name == value)
        self.group.setExclusive(True)
        checked = self.group.checkedButton()
        if checked is not None:
            self.setFocusProxy(checked)
        elif self.buttons:
            self.setFocusProxy(self.buttons[0])

    def pick(self, digit: int) -> bool:
        for index, button in enumerate(self.buttons):
            if digit_for(index) == digit and button.isEnabled():
                button.setChecked(True)
                button.setFocus()
                self._clicked(index)
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in DIGIT_KEYS and self.pick(DIGIT_KEYS[event.key()]):
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._value() is not None:
            self._emit(None)
            return
        super().keyPressEvent(event)


class DropDownWidget(_ChoiceWidget):
    """select_one with the `minimal` appearance: a drop-down with an empty first entry."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.accessibleName())
        self.combo.setMinimumWidth(280)
        self.combo.activated.connect(self._activated)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)
        self.refresh_choices()

    def refresh_choices(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("— choose —", None)
        for index, choice in enumerate(self.choices()):
            self.combo.addItem(self.choice_text(index, choice), choice.name)
        self.combo.blockSignals(False)
        self.show_value(self._value())

    def _activated(self, index: int) -> None:
        self._emit(self.combo.itemData(index))

    def show_value(self, value: object) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        self.combo.blockSignals(False)

    def pick(self, digit: int) -> bool:
        for index in range(1, self.combo.count()):
            if digit_for(index - 1) == digit:
                self.combo.setCurrentIndex(index)
                self._activated(index)
                return True
        return False


class SelectMultipleWidget(_ChoiceWidget):
    """select_multiple: check boxes; a digit toggles its choice."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(4)
        self._names: list[str] = []
        self.boxes: list[QCheckBox] = []
        self.refresh_choices()

    def refresh_choices(self) -> None:
        choices = self.choices()
        names = [c.name for c in choices]
        if names != self._names:
            for box in self.boxes:
                box.deleteLater()
            self.boxes = []
            for _ in choices:
                box = QCheckBox()
                box.setFont(scaled_font(box, 1.1))
                box.toggled.connect(self._toggled)
                self.box.addWidget(box)
                self.boxes.append(box)
            self._names = names
            if self.boxes:
                self.setFocusProxy(self.boxes[0])
        for index, (box, choice) in enumerate(zip(self.boxes, choices, strict=True)):
            box.setText(self.choice_text(index, choice))
            box.setAccessibleName(choice.text(self.session.engine.language))
        self._note_if_empty(self.box, not choices)
        self.show_value(self._value())

    def selected(self) -> list[str]:
        return [n for n, b in zip(self._names, self.boxes, strict=True) if b.isChecked()]

    def _toggled(self) -> None:
        self._emit(self.selected() or None)

    def show_value(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for name, box in zip(self._names, self.boxes, strict=True):
            box.blockSignals(True)
            box.setChecked(name in chosen)
            box.blockSignals(False)

    def pick(self, digit: int) -> bool:
        for index, box in enumerate(self.boxes):
            if digit_for(index) == digit and box.isEnabled():
                box.setFocus()
                box.toggle()
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in DIGIT_KEYS and self.pick(DIGIT_KEYS[event.key()]):
            return
        super().keyPressEvent(event)


class RankWidget(_ChoiceWidget):
    """rank: drag the choices into order (or Alt+Up / Alt+Down); 'Keep this order' accepts."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.list = QListWidget()
        self.list.setAccessibleName(self.accessibleName())
        self.list.setAccessibleDescription("Drag to reorder, or Alt+Up and Alt+Down")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.model().rowsMoved.connect(self._moved)
        self.list.installEventFilter(self)
        self.accept_button = QPushButton("Keep this order")
        self.accept_button.clicked.connect(self._moved)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName(f"Clear {self.accessibleName()}")
        self.clear_button.clicked.connect(lambda: self._emit(None))
        self.state = QLabel()
        self.state.setObjectName("Muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.state)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.setFocusProxy(self.list)
        self.refresh_choices()

    def order(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def refresh_choices(self) -> None:
        choices = {c.name: c for c in self.choices()}
        value = self._value()
        names = [n for n in value if n in choices] if isinstance(value, list) else []
        names += [n for n in choices if n not in names]
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            item = QListWidgetItem(choices[name].text(self.session.engine.language))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setMinimumHeight(min(12, max(3, len(names))) * 28)
        self.state.setText("ranked" if isinstance(value, list) else "not ranked yet")

    def _moved(self, *args: object) -> None:
        self.state.setText("ranked")
        self._emit(self.order())

    def show_value(self, value: object) -> None:
        if not isinstance(value, list) or value != self.order():
            self.refresh_choices()
        self.state.setText("ranked" if isinstance(value, list) else "not ranked yet")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if alt and step:
                row = self.list.currentRow()
                target = row + step
                if 0 <= row < self.list.count() and 0 <= target < self.list.count():
                    item = self.list.takeItem(row)
                    self.list.insertItem(target, item)
                    self.list.setCurrentRow(target)
                    self._moved()
                return True
        return False


class NoteWidget(QuestionWidget):
    """note: nothing to answer (the card shows the text)."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class AcknowledgeWidget(QuestionWidget):
    """acknowledge: one box to tick ('OK')."""

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.box = QCheckBox("OK")
        self.box.setFont(scaled_font(self.box, 1.1))
        self.box.setAccessibleName(self.accessibleName())
        self.box.toggled.connect(lambda on: self._emit("OK" if on else None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addStretch(1)
        self.setFocusProxy(self.box)
        self.show_value(self._value())

    def show_value(self, value: object) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(value == "OK")
        self.box.blockSignals(False)

    def pick(self, digit: int) -> bool:
        if digit == 1:
            self.box.toggle()
            return True
        return False


class AttachmentWidget(QuestionWidget):
    """image/audio/video/file: 'Attach a file…' copies it into the project; name and size shown."""

    attachRequested = Signal(str, object)  # key, Path

    FILTERS = {
        "image": "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.heic);;All files (*)",
        "audio": "Audio (*.mp3 *.wav *.ogg *.m4a *.aac *.flac);;All files (*)",
        "video": "Video (*.mp4 *.mov *.avi *.mkv *.webm);;All files (*)",
        "file": "All files (*)",
    }

    def __init__(self, key: str, node: Node, session: InterviewSession, parent=None):
        super().__init__(key, node, session, parent)
        self.choose_file: Callable[[], Path | None] = self._dialog
        self.button = QPushButton("Attach a file…")
        self.button.setAccessibleName(f"Attach a file to {self.accessibleName()}")
        self.button.clicked.connect(self._attach)
        self.clear_button = QPushButton("Remove")
        self.clear_button.setAccessibleName(f"Remove the file of {self.accessibleName()}")
        self.clear_button.clicked.connect(lambda: self._emit(None))
        self.info = QLabel()
        self.info.setObjectName("Muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.info, 1)
        self.setFocusProxy(self.button)
        self.show_value(self._value())

    def _dialog(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach a file", str(Path.home()), self.FILTERS.get(self.node.type, "")
        )
        return Path(name) if name else None

    def _attach(self) -> None:
        path = self.choose_file()
        if path is not None:
            self.attachRequested.emit(self.key, path)

    def show_value(self, value: object) -> None:
        if value is None:
            self.info.setText("No file attached")
            self.clear_button.setEnabled(False)
            return
        size = None
        for row in self.session.project.interviews.attachments(self.session.id):
            if row["key"] == self.key and row["filename"] == value:
                size = row["size"]
        shown = f"{value} ({human_size(size)})" if size is not None else str(value)
        self.info.setText(shown)
        self.clear_button.setEnabled(True)


_BY_TYPE: dict[str, type[QuestionWidget]] = {
    "text": TextWidget,
    "barcode": TextWidget,
    "integer": NumberWidget,
    "decimal": NumberWidget,
    "range": RangeWidget,
    "select_one": SelectOneWidget,
    "select_one_from_file": SelectOneWidget,
    "select_multiple": SelectMultipleWidget,
    "select_multiple_from_file": SelectMultipleWidget,
    "rank": RankWidget,
    "note": NoteWidget,
    "acknowledge": AcknowledgeWidget,
    "date": DateTimeWidget,
    "time": DateTimeWidget,
    "dateTime": DateTimeWidget,
    **dict.fromkeys(GEO_TYPES, GeoWidget),
    **dict.fromkeys(ATTACHMENT_TYPES, AttachmentWidget),
}


def widget_for(key: str, node: Node, session: InterviewSession) -> QuestionWidget:
    """The widget of a question type (appearance-aware); unknown types are typed text."""
    if node.type in ("select_one", "select_one_from_file") and "minimal" in node.appearance:
        return DropDownWidget(key, node, session)
    return _BY_TYPE.get(node.type, TextWidget)(key, node, session)


class QuestionCard(QFrame):
    """A question as the fieldworker sees it: large label, hint, widget, message under it."""

    def __init__(
        self, key: str, node: Node, session: InterviewSession, parent=None, compact: bool = False
    ):
        super().__init__(parent)
        self.setObjectName("QuestionCard")
        self.key = key
        self.node = node
        self.session = session
        self.label = QLabel()
        self.label.setObjectName("QuestionLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        size = 1.25 if compact or node.type == "note" else 1.45  # several on a screen: smaller
        self.label.setFont(scaled_font(self.label, size, True))
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setFont(scaled_font(self.hint, 1.05))
        self.widget = widget_for(key, node, session)
        self.message = QLabel()
        self.message.setObjectName("ErrorText")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setFont(scaled_font(self.message, 1.05))
        self.message.hide()
        self.label.setBuddy(self.widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8 if compact else 12, 16, 8 if compact else 12)
        layout.setSpacing(4 if compact else 6)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        layout.addWidget(self.widget)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self, outputs: Callable[[str, str], str] | None = None) -> None:
        engine = self.session.engine
        text = engine.label(self.key) or self.node.name
        hint = engine.hint(self.key)
        if outputs is not None:
            text, hint = outputs(self.key, text), outputs(self.key, hint)
        required = engine.graph.exprs[self.node.name].required is not None
        # a label the form left untranslated (English shown in Urdu) still lines up with the
        # rest of a right-to-left screen, instead of following its own text's direction
        side = (
            Qt.AlignmentFlag.AlignRight
            if is_right_to_left(engine.language)
            else Qt.AlignmentFlag.AlignLeft
        )
        for label in (self.label, self.hint, self.message):
            label.setAlignment(
                Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter
            )
        self.label.setText(text + ("  *" if required and self.node.type != "note" else ""))
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.widget.retranslate()
        self.widget.setAccessibleDescription(hint)

    def show_message(self, message: str | None) -> None:
        self.message.setText(message or "")
        self.message.setVisible(bool(message))
        self.widget.setAccessibleDescription(message or self.hint.text())
