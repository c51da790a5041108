"""The About dialog: the version comes from fieldkit.__version__, as `fieldkit --version` does."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from fieldkit import __version__


def about_text() -> str:
    return (
        f"<h3>fieldkit {__version__}</h3>"
        "<p>Offline community resilience fieldwork: structured interviews, relationship maps, "
        "the ten indicators of an area's community DNA, and packs for analysts and partners.</p>"
    )


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About fieldkit", about_text())
