"""Starting the app: QApplication, the look, the first-run flow, the main window.

Everything imported here is on the path to the first frame, so what only the first-run flow or
a later dialog needs (the first-run dialog, message boxes, the store itself) is imported where
it is used.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from fieldkit import __version__
from fieldkit.gui.guard import guarded, install_excepthook
from fieldkit.gui.main_window import MainWindow
from fieldkit.gui.session import Session
from fieldkit.gui.style import stylesheet
from fieldkit.store.registry import list_projects


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("fieldkit")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(stylesheet(app.font().pointSizeF() or 10.0))
    return app


def demo_available() -> bool:
    try:
        from fieldkit.indicators import demo  # noqa: F401
    except ImportError:
        return False
    return True


def first_run(session: Session) -> bool:
    """Ask for a first project (or the demo); False if the user closed the dialog."""
    from PySide6.QtWidgets import QDialog

    from fieldkit.errors import FieldkitError
    from fieldkit.gui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(demo_available=demo_available())
    while dialog.exec() == QDialog.DialogCode.Accepted:
        if dialog.choice == "demo":
            from fieldkit.indicators.demo import create_demo

            project = guarded(
                dialog, lambda: create_demo(session.data_dir), "Cannot create the demo"
            )
        else:
            from fieldkit.store import create_project

            try:
                project = create_project(session.data_dir, dialog.name.text())
            except FieldkitError as exc:
                dialog.show_error("\n".join(exc.lines()))
                continue
        if project is not None:
            session.set_project(project)
            return True
    return False


OPEN_AFTER_MS = 10


def open_window(
    data_dir: Path, project_name: str | None = None, *, deferred: bool = False
) -> MainWindow | None:
    """Build the window on the default project; runs the first-run flow if there is none.

    With `deferred`, the window is returned before the project opens and the project opens
    on the event loop's first turn (integrity check, backup, schema): the fieldworker sees the
    window at once, with "Opening project…" in its status bar, instead of waiting for it.
    """
    session = Session(data_dir)
    if list_projects(data_dir):
        if deferred:
            window = MainWindow(session)
            window.statusBar().showMessage("Opening project…")
            # A few milliseconds: the first frame is painted before the project file is read.
            QTimer.singleShot(OPEN_AFTER_MS, lambda: open_project_into(window, project_name))
            return window
        open_project_into(None, project_name, session)
    elif not first_run(session):
        return None
    return MainWindow(session)


def open_project_into(
    window: MainWindow | None, project_name: str | None, session: Session | None = None
) -> None:
    from fieldkit.store import open_default_project

    session = session or window.session
    project = guarded(
        window, lambda: open_default_project(session.data_dir, project_name), "Cannot open project"
    )
    if project is not None:
        session.set_project(project)
    if window is not None:
        window.statusBar().clearMessage()


def run_gui(ctx) -> int:  # ctx: fieldkit.cli.Context
    app = make_app()
    install_excepthook(ctx.data_dir)
    window = open_window(ctx.data_dir, ctx.project_name, deferred=True)
    if window is None:
        return 0
    window.show()
    code = app.exec()
    window.session.close()
    return code
