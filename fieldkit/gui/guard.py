"""No traceback reaches a user: refusals become a message box, bugs a logged apology."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from fieldkit.errors import FieldkitError

T = TypeVar("T")
log = logging.getLogger("fieldkit")


def guarded(parent: QWidget | None, action: Callable[[], T], title: str = "Not done") -> T | None:
    """Run a core call; a refusal is shown as its located problems and nothing else happens."""
    import sqlite3  # here, not at the top: the app's start imports this module

    from PySide6.QtWidgets import QMessageBox

    try:
        return action()
    except FieldkitError as exc:
        show_problems(parent, exc, title)
    except sqlite3.Error as exc:
        QMessageBox.warning(parent, title, f"The project file could not be read or written: {exc}")
    except OSError as exc:
        where = f"\n{exc.filename}" if exc.filename else ""
        QMessageBox.warning(parent, title, f"{exc.strerror or exc}{where}")
    return None


def show_problems(parent: QWidget | None, exc: FieldkitError, title: str = "Not done") -> None:
    from PySide6.QtWidgets import QMessageBox

    lines = exc.lines()
    text = lines[0] if len(lines) == 1 else f"{len(lines)} problems:"
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if len(lines) > 1:
        box.setDetailedText("\n".join(lines))
        box.setInformativeText("\n".join(lines[:8]) + ("\n..." if len(lines) > 8 else ""))
    box.exec()


def install_excepthook(log_dir: Path) -> None:
    """Unexpected errors are logged to DATA/fieldkit.log and reported in words, not a crash."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_dir / "fieldkit.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)

    def hook(exc_type, exc, tb):  # noqa: ANN001
        if isinstance(exc, FieldkitError):
            show_problems(None, exc)
            return
        import traceback

        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(
            None,
            "Something went wrong",
            "fieldkit hit an unexpected problem. Your saved answers are safe.\n"
            f"Details were written to {log_dir / 'fieldkit.log'}; please send that file with "
            "a description of what you were doing.",
        )

    sys.excepthook = hook
