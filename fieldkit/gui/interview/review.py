"""The review before finalizing: every relevant question, editable in place, problems on top.

The runner fills it with the same question cards it uses on screens (so an answer changed
here is saved like any other); the problem list sends the fieldworker to each problem.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.interview.widgets import scaled_font

MAX_PROBLEM_ROWS = 6  # more scroll: the questions stay in view at 1280x720


class ReviewPanel(QWidget):
    """Title, summary, problems list, the questions, Back / Finalize."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("Review before finalizing")
        title.setFont(scaled_font(title, 1.3, bold=True))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("Problems")
        self.problems.setAccessibleName("Problems to fix before finalizing")
        self.holder = QWidget()
        self.questions = QVBoxLayout(self.holder)
        self.questions.setSpacing(8)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.holder)
        self.scroll.setAccessibleName("Every answer, editable")
        self.back_button = QPushButton("Back to the questions")
        self.finalize_button = QPushButton("Finalize")
        self.finalize_button.setObjectName("Primary")
        self.finalize_button.setAccessibleName("Finalize the interview")
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.finalize_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)

    def clear(self) -> None:
        while self.questions.count():
            item = self.questions.takeAt(0)
            if item.widget() is not None:  # hidden, not parentless: never a stray window
                item.widget().hide()
                item.widget().deleteLater()

    def add_heading(self, text: str) -> None:
        heading = QLabel(text)
        heading.setWordWrap(True)
        heading.setFont(scaled_font(heading, 1.15, bold=True))
        self.questions.addWidget(heading)
        heading.show()

    def add_card(self, card: QWidget) -> None:
        self.questions.addWidget(card)
        card.show()  # now, not at the next turn of the event loop

    def finish(self) -> None:
        self.questions.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def list_problems(self, rows: list[tuple[str, str]], answered: int) -> None:
        """rows: (question key, text); the key is what choosing a row goes to."""
        self.problems.clear()
        for key, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.problems.addItem(item)
        self.problems.setVisible(bool(rows))
        shown = min(len(rows), MAX_PROBLEM_ROWS)
        self.problems.setFixedHeight(self.problems.sizeHintForRow(0) * shown + 8 if shown else 0)
        if rows:
            plural = "s" if len(rows) != 1 else ""
            self.summary.setText(
                f"{len(rows)} problem{plural} to fix before finalizing. Choose one to go to it."
            )
        else:
            self.summary.setText(f"No problems. {answered} answers given.")
