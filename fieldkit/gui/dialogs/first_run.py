"""First start with no project: create one, or open the demo project to look around."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FirstRunDialog(QDialog):
    """Returns Accepted with `choice` = "create" (and `name`) or "demo"."""

    def __init__(self, parent: QWidget | None = None, demo_available: bool = True):
        super().__init__(parent)
        self.setWindowTitle("Welcome to fieldkit")
        self.choice: str | None = None
        heading = QLabel("Create your first project")
        heading.setObjectName("PageTitle")
        blurb = QLabel(
            "A project holds one programme's sites, rounds, interviews and maps in a single file "
            "on this laptop. It works with no network."
        )
        blurb.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. North Manchester resilience 2027")
        self.name.setAccessibleName("Project name")
        self.error = QLabel()
        self.error.setObjectName("ErrorText")
        self.create = QPushButton("Create project")
        self.create.setObjectName("Primary")
        self.create.setDefault(True)
        self.create.setEnabled(False)
        self.demo = QPushButton("Open the demo project")
        self.demo.setVisible(demo_available)
        self.name.textChanged.connect(lambda text: self.create.setEnabled(bool(text.strip())))
        self.create.clicked.connect(self._create)
        self.demo.clicked.connect(self._demo)

        buttons = QHBoxLayout()
        buttons.addWidget(self.demo)
        buttons.addStretch(1)
        buttons.addWidget(self.create)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(blurb)
        layout.addWidget(QLabel("Project name:"))
        layout.addWidget(self.name)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(520, 240)

    def _create(self) -> None:
        self.choice = "create"
        self.accept()

    def _demo(self) -> None:
        self.choice = "demo"
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
