"""The main window: a sidebar (project, site, round; then the pages) and the chosen page.

Pages are independent widgets that listen to the Session; the window only wires navigation,
menus and the status bar. Each later area adds its page to `page_factories()`.

The window is built on the way to the first frame, so it avoids PySide6's `Qt` namespace
(creating its hundred-odd enums costs ~20 ms): enum-typed properties are set by key name
through Qt's property system, and dialogs are imported when they open.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.guard import guarded
from fieldkit.gui.pages.interviews import InterviewsPage
from fieldkit.gui.session import Session
from fieldkit.store.registry import list_projects

NEW_PROJECT = "__new__"


def _lazy(module: str, name: str, with_window: bool = False):
    """A page factory that imports its module only when the page is first built."""

    def build(session: Session, window: MainWindow) -> QWidget:
        import importlib

        made = getattr(importlib.import_module(module), name)
        return made(session, window) if with_window else made(session)

    return build


def page_factories():
    """(key, title, factory(session, window)) for every page, in sidebar order."""
    return [
        ("interviews", "Interviews", lambda session, window: InterviewsPage(session)),
        ("interview", "Interview", _lazy("fieldkit.gui.interview", "InterviewPage")),
        (
            "summary",
            "Summary",
            _lazy("fieldkit.gui.dashboard", "make_summary_page", with_window=True),
        ),
        ("maps", "Maps", _lazy("fieldkit.gui.maps.page", "MapsPage")),
        ("actions", "Actions", _lazy("fieldkit.gui.actions_page", "ActionsPage")),
        ("exports", "Exports", _lazy("fieldkit.gui.exports", "ExportsPage")),
        ("forms", "Forms", _lazy("fieldkit.gui.pages.forms", "FormsPage")),
        ("team", "Team", _lazy("fieldkit.gui.pages.team", "TeamPage")),
    ]


class LazyPages:
    """The window's pages, each built the first time it is shown or asked for.

    Start-up then pays only for the first page: the dashboard, the map canvas and the packs
    (and the libraries behind them) load when the fieldworker first goes there.
    """

    def __init__(self, window: MainWindow, factories):
        self._window = window
        self._factories = {key: (title, factory) for key, title, factory in factories}
        self._built: dict[str, QWidget] = {}

    def keys(self) -> list[str]:
        return list(self._factories)

    def titles(self) -> list[str]:
        return [title for title, _ in self._factories.values()]

    def index(self, key: str) -> int:
        return self.keys().index(key)

    def created(self) -> list[QWidget]:
        return list(self._built.values())

    def __contains__(self, key: str) -> bool:
        return key in self._factories

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            _, factory = self._factories[key]
            page = factory(self._window.session, self._window)
            self._built[key] = page
            stack = self._window.stack
            index = self.index(key)
            placeholder = stack.widget(index)
            stack.insertWidget(index, page)
            stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return self._built[key]


class MainWindow(QMainWindow):
    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.setWindowTitle("fieldkit")
        self.resize(1280, 760)
        self.setMinimumSize(960, 600)

        # -- sidebar ---------------------------------------------------------------
        self.project_box = QComboBox()
        self.project_box.setAccessibleName("Project")
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Site")
        self.round_box = QComboBox()
        self.round_box.setAccessibleName("Round")
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.stack = QStackedWidget()

        # Built from the window down: with the app's style sheet, each move of a built widget
        # tree into a new parent re-resolves its fonts and palette, so each widget moves once.
        splitter = QSplitter()
        self.setCentralWidget(splitter)
        sidebar = QWidget()
        sidebar.setObjectName("Sidebar")
        splitter.addWidget(sidebar)
        splitter.addWidget(self.stack)
        side = QVBoxLayout(sidebar)
        title = QLabel("fieldkit")
        title.setObjectName("SidebarTitle")
        side.addWidget(title)
        for label, box in (
            ("Project", self.project_box),
            ("Site", self.site_box),
            ("Round", self.round_box),
        ):
            caption = QLabel(label)
            caption.setObjectName("Muted")
            caption.setBuddy(box)
            side.addWidget(caption)
            side.addWidget(box)
        side.addSpacing(12)
        side.addWidget(self.nav, 1)

        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 1040])

        self.pages = LazyPages(self, page_factories())
        for title in self.pages.titles():
            self.nav.addItem(title)
            self.stack.addWidget(QWidget())  # stands in until the page is first shown
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.nav.setCurrentRow(0)
        self.pages["interviews"].openInterview.connect(self.open_interview)

        self._build_actions()
        self.project_label = QLabel()
        self.saved_label = QLabel()
        self.fieldworker_label = QLabel()
        for widget in (self.project_label, self.saved_label, self.fieldworker_label):
            self.statusBar().addPermanentWidget(widget)

        self.project_box.activated.connect(self._project_chosen)
        self.site_box.currentIndexChanged.connect(
            lambda: session.set_site(self.site_box.currentData())
        )
        self.round_box.currentIndexChanged.connect(
            lambda: session.set_round(self.round_box.currentData())
        )
        session.projectChanged.connect(self._project_changed)
        session.filterChanged.connect(self._sync_pickers)
        session.changed.connect(self._data_changed)
        session.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self._project_changed()

    # -- actions, menu, toolbar ----------------------------------------------------------
    def _build_actions(self) -> None:
        self.actions: dict[str, QAction] = {}

        def action(key: str, text: str, slot, shortcut: str | None = None) -> QAction:
            act = QAction(text, self)
            if shortcut:  # setShortcuts: PySide6's setShortcut overloads create `Qt`
                act.setShortcuts([QKeySequence(shortcut)])
            act.triggered.connect(slot)
            self.actions[key] = act
            return act

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(action("new_interview", "New interview…", self.new_interview, "Ctrl+N"))
        file_menu.addAction(action("new_map", "New relationship map…", self.new_map, "Ctrl+M"))
        file_menu.addAction(action("new_project", "New project…", self.new_project, "Ctrl+Shift+N"))
        file_menu.addAction(action("new_site", "Add site…", self.add_site))
        file_menu.addAction(action("new_round", "Add round…", self.add_round))
        file_menu.addSeparator()
        file_menu.addAction(action("quit", "Quit", self.close, "Ctrl+Q"))
        go_menu = self.menuBar().addMenu("&Go")
        for key, title, _ in page_factories():
            go_menu.addAction(
                action(f"page_{key}", title, lambda _=False, k=key: self.show_page(k))
            )
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(action("about", "About fieldkit", self.show_about))

        toolbar = QToolBar("Main")
        toolbar.setObjectName("MainToolbar")
        toolbar.setMovable(False)
        # = setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly), without the Qt namespace
        toolbar.setProperty("toolButtonStyle", "ToolButtonTextOnly")
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        toolbar.addAction(self.actions["new_interview"])
        toolbar.addAction(self.actions["new_map"])
        toolbar.addSeparator()
        toolbar.addAction(self.actions["page_summary"])
        toolbar.addAction(self.actions["page_exports"])
        toolbar.addSeparator()
        toolbar.addAction(self.actions["new_site"])
        toolbar.addAction(self.actions["new_round"])

    def show_about(self) -> None:
        from fieldkit.gui.dialogs.about import show_about

        show_about(self)

    def show_page(self, key: str) -> QWidget:
        page = self.pages[key]
        self.nav.setCurrentRow(self.pages.index(key))
        return page

    def new_map(self) -> None:
        self.show_page("maps").new_map()

    def new_interview(self) -> None:
        self.show_page("interview").new_interview()

    def open_interview(self, interview_id: str) -> None:
        self.show_page("interview").open_interview(interview_id)

    def _nav_changed(self, row: int) -> None:
        if row >= 0:
            self.pages[self.pages.keys()[row]]
            self.stack.setCurrentIndex(row)

    # -- project, site, round ------------------------------------------------------------
    def _project_changed(self) -> None:
        project = self.session.project
        self.project_box.blockSignals(True)
        self.project_box.clear()
        for info in list_projects(self.session.data_dir):
            self.project_box.addItem(info.name, info.name)
        self.project_box.addItem("New project…", NEW_PROJECT)
        if project is not None:
            self.project_box.setCurrentIndex(self.project_box.findData(project.slug))
        self.project_box.blockSignals(False)
        self._reload_places()
        self.project_label.setText(str(project.path) if project else "no project open")
        self.fieldworker_label.setText(
            f"Fieldworker: {project.fieldworker_name}" if project else ""
        )
        self.setWindowTitle(f"fieldkit — {project.name}" if project else "fieldkit")

    def _sync_pickers(self) -> None:
        """A page that changes the site or round (not the sidebar) is shown in the sidebar too."""
        for box, wanted in (
            (self.site_box, self.session.site),
            (self.round_box, self.session.round),
        ):
            index = box.findData(wanted)
            if index >= 0 and index != box.currentIndex():
                box.blockSignals(True)
                box.setCurrentIndex(index)
                box.blockSignals(False)

    def _reload_places(self) -> None:
        project = self.session.project
        for box, rows, current, everything in (
            (
                self.site_box,
                project.sites.list() if project else [],
                self.session.site,
                "All sites",
            ),
            (
                self.round_box,
                project.rounds.list() if project else [],
                self.session.round,
                "All rounds",
            ),
        ):
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for row in rows:
                box.addItem(row["name"], row["id"])
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self.session.set_site(self.site_box.currentData())
        self.session.set_round(self.round_box.currentData())

    def _data_changed(self, kind: str) -> None:
        if kind in ("sites", "rounds", "all"):
            self._reload_places()
        if kind in ("interviews", "maps", "answers", "all"):
            self.saved_label.setText("All changes saved")

    def _project_chosen(self, index: int) -> None:
        name = self.project_box.itemData(index)
        if name == NEW_PROJECT:
            self.new_project()
            return
        if self.session.project and name == self.session.project.slug:
            return
        from fieldkit.store import open_project

        project = guarded(
            self, lambda: open_project(self.session.data_dir, name), "Cannot open project"
        )
        if project is not None:
            self.session.set_project(project)
        else:
            self._project_changed()

    def new_project(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "New project", "Project name:")
        if not ok or not name.strip():
            self._project_changed()
            return
        from fieldkit.store import create_project

        project = guarded(
            self, lambda: create_project(self.session.data_dir, name), "Cannot create project"
        )
        if project is not None:
            self.session.set_project(project)
        else:
            self._project_changed()

    def _add_named(self, repo: str, noun: str) -> None:
        if self.session.project is None:
            return
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, f"Add {noun}", f"{noun.capitalize()} name:")
        if ok and name.strip():
            row = guarded(
                self, lambda: getattr(self.session.project, repo).add(name), f"Cannot add {noun}"
            )
            if row:
                if repo == "sites":
                    self.session.site = row["id"]
                else:
                    self.session.round = row["id"]
                self.session.notify(repo)

    def add_site(self) -> None:
        self._add_named("sites", "site")

    def add_round(self) -> None:
        self._add_named("rounds", "round")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        for page in self.pages.created():
            closer = getattr(page, "shutdown", None)
            if closer:
                closer()
        super().closeEvent(event)
