"""The map editor: Net-Map's guided steps around a canvas, a side panel and live metrics.

Steps: Actors -> Ties (one type at a time) -> Goals -> Influence -> Notes. Every edit, by mouse
or panel, becomes an undo command (`commands.py`) that calls the Map; the canvas and the panel
follow the Map's events, and `MapAutosave` writes each accepted edit to the project at once,
like an interview answer. The participant can follow on a full-screen view of the same scene.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.guard import guarded
from fieldkit.gui.maps.canvas import MapScene, TieLook
from fieldkit.gui.maps.commands import (
    AddActor,
    AddTie,
    Composite,
    ModelCommand,
    MoveActors,
    UpdateActor,
    UpdateTie,
    delete_selection,
    push_command,
    undo_actions,
)
from fieldkit.gui.maps.dialogs import AddActorDialog, ConfirmDelete, RosterDialog, TieDialog
from fieldkit.gui.maps.export import export_view
from fieldkit.gui.maps.layout_task import METHOD_LABELS, LayoutTask
from fieldkit.gui.maps.legend import LegendWidget
from fieldkit.gui.maps.metrics_panel import LiveMetrics, MetricsPanel
from fieldkit.gui.maps.panel import ActorPanel, TiePanel
from fieldkit.gui.maps.view import MapView, with_side_panel
from fieldkit.mapping import model as m
from fieldkit.mapping.metrics import compute_metrics
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.names import normalise_name
from fieldkit.mapping.persist import MapAutosave

STEPS: tuple[tuple[str, str], ...] = (
    (
        "Actors",
        "Who makes things happen here? Add each actor (double-click the canvas or "
        "'Add actor'; pick known ones from the roster), give their sector, and place them.",
    ),
    (
        "Ties",
        "Draw the {type} ties: drag from one actor to the other. One kind of tie at a time; "
        "choose the next kind when this one is done.",
    ),
    ("Goals", "Select each actor and tick the goals they work towards."),
    (
        "Influence",
        "How much can each actor make things happen? Select an actor and build its tower (0-10).",
    ),
    ("Notes", "Talk the map through: select an actor and note what the participant says."),
)
ACTORS, TIES, GOALS, INFLUENCE, NOTES = range(len(STEPS))
ROSTER_RING = 160.0  # radius of the ring where roster actors are put down


class StepBar(QWidget):
    """Actors -> Ties -> Goals -> Influence -> Notes, as numbered toggle buttons."""

    stepChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, (name, _) in enumerate(STEPS):
            if index:
                arrow = QLabel("→")
                arrow.setObjectName("Muted")
                layout.addWidget(arrow)
            button = QPushButton(f"{index + 1}  {name}")
            button.setCheckable(True)
            button.setAccessibleName(f"Step {index + 1}: {name}")
            self.group.addButton(button, index)
            layout.addWidget(button)
        self.group.button(ACTORS).setChecked(True)
        self.group.idClicked.connect(self.stepChanged)
        layout.addStretch(1)

    def current(self) -> int:
        return self.group.checkedId()

    def set_current(self, step: int) -> None:
        self.group.button(step).setChecked(True)
        self.stepChanged.emit(step)


class ParticipantWindow(QWidget):
    """The canvas alone, full screen, for the participant (same scene, its own view)."""

    def __init__(self, scene: MapScene, vocabulary, title: str):  # noqa: ANN001
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(title or "Relationship map")
        self.view = MapView(scene)
        close = QPushButton("Close full screen (Esc)")
        close.clicked.connect(self.close)
        escape = QAction("Close", self)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.triggered.connect(self.close)
        self.addAction(escape)
        heading = QLabel(title)
        heading.setObjectName("PageTitle")
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(close)
        side = QVBoxLayout()
        side.addWidget(LegendWidget(vocabulary))
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:  # also when the window is not the active one
            self.close()
            return
        super().keyPressEvent(event)


class MapEditor(QWidget):
    """Edit one map. `project` given: every edit is saved as it happens."""

    closed = Signal()
    saved = Signal()

    def __init__(
        self,
        the_map: Map,
        project: Any = None,
        roster: Sequence[dict[str, Any]] = (),
        notify: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.map = the_map
        self.project = project
        self.roster = list(roster)
        self.notify = notify
        self.autosave = MapAutosave(project, the_map, self._saved) if project is not None else None
        self.stack = QUndoStack(self)
        # No Qt parent: the scene must not outlive-in-destruction the editor it signals.
        self.scene = MapScene(the_map)
        self.view = MapView(self.scene)
        self.visible_types: set[str] = set(the_map.vocabulary.link_type_names())
        self.layout_task: LayoutTask | None = None
        self.participant: ParticipantWindow | None = None
        # Hooks that a test replaces; by default they ask the user.
        self.ask_actor: Callable[[QPointF | None], dict[str, str] | None] = self._ask_actor
        self.ask_tie: Callable[[str, str], dict[str, Any] | None] = self._ask_tie
        self.confirm: Callable[[str], bool] = lambda text: ConfirmDelete()(self, text)
        self.ask_path: Callable[[str], str | None] = self._ask_path
        self.show_error: Callable[[str], None] = self._show_error

        self._build()
        self._unsubscribe = the_map.subscribe(self._on_event)
        self.metrics = LiveMetrics(
            self.metrics_panel,
            snapshot=the_map.to_dict,
            compute=lambda data: compute_metrics(Map.from_dict(data)),
            size=lambda: len(the_map.actors),
            parent=self,
        )
        self.metrics.run_now()
        self.set_step(ACTORS)
        self._selection_changed()
        self._fit_selection_stack()

    # -- building the screen -----------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.map.focus_question or "Relationship map")
        title.setObjectName("PageTitle")
        title.setWordWrap(True)
        self.saved_mark = QLabel("")
        self.saved_mark.setObjectName("SavedMark")
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.saved_mark)

        self.steps = StepBar()
        self.steps.stepChanged.connect(self.set_step)
        self.tie_type = QComboBox()
        self.tie_type.setAccessibleName("Kind of tie to draw")
        for link in self.map.vocabulary.link_types:
            self.tie_type.addItem(link.label, link.name)
        self.tie_type.currentIndexChanged.connect(lambda: self.set_step(self.steps.current()))
        self.tie_type_label = QLabel("Kind of tie:")
        step_row = QHBoxLayout()
        step_row.addWidget(self.steps, 1)
        step_row.addWidget(self.tie_type_label)
        step_row.addWidget(self.tie_type)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setObjectName("Muted")
        self.layout_note = QLabel()  # says when "tidy" had to use another layout
        self.layout_note.setWordWrap(True)
        self.layout_note.setObjectName("Muted")
        self.layout_note.hide()

        self.toolbar = self._build_toolbar()

        self.actor_panel = ActorPanel(self.map.vocabulary)
        self.tie_panel = TiePanel(self.map.vocabulary)
        self.nothing = QLabel("Select an actor or a tie to edit it.")
        self.nothing.setObjectName("Muted")
        self.nothing.setWordWrap(True)
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.selection_stack = QStackedWidget()
        for widget in (self.nothing, self.actor_panel, self.tie_panel):
            self.selection_stack.addWidget(widget)
        self.selection_stack.currentChanged.connect(self._fit_selection_stack)
        self.actor_panel.changed.connect(self._actor_panel_changed)
        self.tie_panel.changed.connect(self._tie_panel_changed)
        self.actor_panel.deleteRequested.connect(self.delete_selected)
        self.tie_panel.deleteRequested.connect(self.delete_selected)
        self.metrics_panel = MetricsPanel("Network now")
        self.legend = LegendWidget(self.map.vocabulary)

        splitter = with_side_panel(self.view, self.selection_stack, self.metrics_panel, self.legend)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(step_row)
        layout.addWidget(self.prompt)
        layout.addWidget(self.layout_note)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)

        self.scene.addActorRequested.connect(self.add_actor_at)
        self.scene.tieRequested.connect(self.add_tie_between)
        self.scene.actorsMoved.connect(self._actors_moved)
        self.scene.selectionChanged.connect(self._selection_changed)

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar("Map")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions: dict[str, QAction] = {}

        def action(key: str, text: str, slot: Callable, shortcut: str | None = None) -> QAction:
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            self.actions[key] = act
            return act

        def menu_button(text: str, menu: QMenu) -> QToolButton:
            button = QToolButton()
            button.setText(text)
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            bar.addWidget(button)
            return button

        bar.addAction(action("back", "← Maps", self.close_editor))
        bar.addSeparator()
        bar.addAction(action("add_actor", "Add actor", lambda: self.add_actor_at(None), "Ctrl+N"))
        bar.addAction(action("roster", "From roster…", self.add_from_roster))
        draw = action("draw_ties", "Draw ties", lambda: None)
        draw.setCheckable(True)
        draw.toggled.connect(self.scene.set_tie_mode)
        bar.addAction(draw)
        delete = action("delete", "Delete", self.delete_selected)
        # Delete and Backspace act on the canvas only, never on the panel's text fields.
        delete.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(delete)
        self.view.addAction(delete)
        bar.addAction(delete)
        undo, redo = undo_actions(self.stack, self)
        for key, act in (("undo", undo), ("redo", redo)):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(act)
            self.actions[key] = act
            bar.addAction(act)
        bar.addSeparator()
        bar.addAction(action("zoom_in", "Zoom in", self.view.zoom_in, "Ctrl++"))
        bar.addAction(action("zoom_out", "Zoom out", self.view.zoom_out, "Ctrl+-"))
        bar.addAction(action("fit", "Fit", lambda: self.view.fit(), "Ctrl+0"))
        bar.addSeparator()
        tidy = QMenu(self)
        for method in ("spring", "kamada_kawai"):
            tidy.addAction(
                action(
                    f"tidy_{method}",
                    METHOD_LABELS[method],
                    lambda _=False, m_=method: self.tidy(m_),
                )
            )
        menu_button("Tidy", tidy)
        bar.addAction(action("by_sector", "Arrange by sector", lambda: self.tidy("sector")))
        bar.addSeparator()
        self.filter_menu = QMenu(self)
        self.type_actions: dict[str, QAction] = {}
        for link in self.map.vocabulary.link_types:
            act = QAction(link.label, self)
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda on, name=link.name: self.set_type_visible(name, on))
            self.filter_menu.addAction(act)
            self.type_actions[link.name] = act
        self.filter_button = menu_button("Show ties", self.filter_menu)
        neighbours = action("neighbours", "Neighbours", lambda: None)
        neighbours.setCheckable(True)
        neighbours.toggled.connect(lambda _on: self._update_focus())
        neighbours.setToolTip("Fade everyone but the selected actor and those tied to it")
        bar.addAction(neighbours)
        bar.addSeparator()
        bar.addAction(action("full_screen", "Full screen", self.show_full_screen, "F11"))
        export = QMenu(self)
        export.addAction(action("export_png", "Picture (PNG)…", lambda: self.export("png")))
        export.addAction(action("export_svg", "Drawing (SVG)…", lambda: self.export("svg")))
        menu_button("Export", export)
        return bar

    # -- steps ------------------------------------------------------------------------------
    def set_step(self, step: int) -> None:
        if self.steps.current() != step:
            self.steps.group.button(step).setChecked(True)
        name, prompt = STEPS[step]
        link = self.map.vocabulary.link_type(self.tie_type.currentData())
        self.prompt.setText(prompt.format(type=(link.label if link else "").lower()))
        ties = step == TIES
        self.tie_type.setVisible(ties)
        self.tie_type_label.setVisible(ties)
        self.actions["draw_ties"].setChecked(ties)
        self.scene.set_tie_mode(ties)
        self._apply_filter()
        self._selection_changed()

    def step(self) -> int:
        return self.steps.current()

    # -- filters and focus ------------------------------------------------------------------
    def shown_types(self) -> set[str]:
        """In the Ties step only the kind being drawn; else the user's filter."""
        if self.step() == TIES:
            return {self.tie_type.currentData()}
        return set(self.visible_types)

    def set_type_visible(self, link_type: str, on: bool) -> None:
        if on:
            self.visible_types.add(link_type)
        else:
            self.visible_types.discard(link_type)
        action = self.type_actions.get(link_type)
        if action is not None and action.isChecked() != on:
            action.setChecked(on)
        self._apply_filter()

    def _apply_filter(self) -> None:
        shown = self.shown_types()

        def visible(look: TieLook) -> bool:
            return look.type in shown

        hidden = len(self.map.vocabulary.link_types) - len(shown)
        self.filter_button.setText("Show ties" if not hidden else f"Show ties ({hidden} hidden)")
        self.scene.set_filters(tie_filter=visible)
        self._update_focus()

    def _update_focus(self) -> None:
        selected = self.scene.selected_actor_ids()
        on = self.actions["neighbours"].isChecked()
        self.scene.set_focus(selected[0] if on and len(selected) == 1 else None)

    # -- selection and the side panel ------------------------------------------------------
    def _selection_changed(self) -> None:
        if not shiboken6.isValid(self.scene):  # the scene emits while it is being destroyed
            return
        actors = self.scene.selected_actor_ids()
        ties = self.scene.selected_tie_ids()
        if len(actors) == 1 and not ties:
            actor = self.map.actors.get(actors[0])
            if actor is not None:
                self.actor_panel.show_actor(actor)
                self.selection_stack.setCurrentWidget(self.actor_panel)
                self._focus_step_field()
        elif len(ties) == 1 and not actors:
            tie = self.map.ties.get(ties[0])
            if tie is not None:
                self.tie_panel.show_tie(
                    tie, self.map.actors[tie.source].name, self.map.actors[tie.target].name
                )
                self.selection_stack.setCurrentWidget(self.tie_panel)
        else:
            count = len(actors) + len(ties)
            self.nothing.setText(
                f"{count} items selected: Delete removes them all."
                if count
                else "Select an actor or a tie to edit it."
            )
            self.selection_stack.setCurrentWidget(self.nothing)
        self.actions["delete"].setEnabled(bool(actors or ties))
        self._update_focus()

    def _fit_selection_stack(self) -> None:
        """A stack is as tall as its tallest page; size it to the page shown instead."""
        current = self.selection_stack.currentWidget()
        for i in range(self.selection_stack.count()):
            page = self.selection_stack.widget(i)
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.selection_stack.adjustSize()

    def _focus_step_field(self) -> None:
        field = {
            GOALS: self.actor_panel.goals_list
            if self.map.vocabulary.goals
            else self.actor_panel.goals_text,
            INFLUENCE: self.actor_panel.influence,
            NOTES: self.actor_panel.notes,
        }.get(self.step())
        if field is not None and self.isVisible():
            field.setFocus()

    def _on_event(self, event: str, obj: Any) -> None:
        self.metrics.schedule()
        if event in (m.ACTOR_CHANGED, m.TIE_CHANGED, m.ACTOR_REMOVED, m.TIE_REMOVED):
            self._selection_changed()

    # -- edits -------------------------------------------------------------------------------
    def run(self, command: ModelCommand) -> bool:
        """Apply and record one edit; a refusal is shown and the screen snaps back."""
        done = guarded(self, lambda: push_command(self.stack, command), "Not changed")
        if done is None:
            self.scene.resync_positions()
            self._selection_changed()
            return False
        return True

    def add_actor_at(self, pos: QPointF | None) -> Actor | None:
        values = self.ask_actor(pos)
        if not values:
            return None
        if pos is None:
            pos = self._free_point()
        actor = Actor(
            name=values["name"],
            sector=values.get("sector", "other"),
            kind=values.get("kind", "organisation"),
            x=pos.x(),
            y=pos.y(),
        )
        if self.run(AddActor(self.map, actor)):
            self.scene.clearSelection()
            self.scene.actor_items[actor.id].setSelected(True)
            return actor
        return None

    def _free_point(self) -> QPointF:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        for ring in range(0, 12):
            for k in range(max(1, ring * 6)):
                angle = 2 * math.pi * k / max(1, ring * 6)
                point = QPointF(
                    centre.x() + ring * 70 * math.cos(angle),
                    centre.y() + ring * 70 * math.sin(angle),
                )
                if self.scene.actor_at(point) is None:
                    return point
        return centre

    def add_from_roster(self) -> int:
        """Put chosen actors of the site's roster on the map, as one undo step."""
        on_map = {normalise_name(a.name) for a in self.map.actors.values()}
        available = [r for r in self.roster if normalise_name(r["name"]) not in on_map]
        chosen = self.ask_roster(available)
        if not chosen:
            return 0
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        parts: list[ModelCommand] = []
        for k, row in enumerate(chosen):
            angle = 2 * math.pi * k / len(chosen) - math.pi / 2
            parts.append(
                AddActor(
                    self.map,
                    Actor(
                        name=row["name"],
                        sector=row["sector"],
                        kind=row["kind"],
                        x=centre.x() + ROSTER_RING * math.cos(angle),
                        y=centre.y() + ROSTER_RING * math.sin(angle),
                    ),
                )
            )
        ok = self.run(Composite(self.map, parts, f"Add {len(parts)} actors from the roster"))
        return len(parts) if ok else 0

    def ask_roster(self, available: list[dict[str, Any]]) -> list[dict[str, Any]]:
        dialog = RosterDialog(available, self)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else []

    def add_tie_between(self, source: str, target: str) -> Tie | None:
        values = self.ask_tie(source, target)
        if not values:
            return None
        tie = Tie(
            source,
            target,
            values["type"],
            values.get("direction", "one-way"),
            values.get("strength", 2),
        )
        return tie if self.run(AddTie(self.map, tie)) else None

    def _actors_moved(self, positions: dict[str, tuple[float, float]]) -> None:
        self.run(MoveActors(self.map, positions))
        self.scene.grow_scene_rect()

    def _actor_panel_changed(self, changes: dict[str, Any]) -> None:
        actor = self.actor_panel.actor
        if actor is not None and actor.id in self.map.actors:
            self.run(UpdateActor(self.map, actor.id, changes))

    def _tie_panel_changed(self, changes: dict[str, Any]) -> None:
        tie = self.tie_panel.tie
        if tie is not None and tie.id in self.map.ties:
            self.run(UpdateTie(self.map, tie.id, changes))

    def delete_selected(self) -> bool:
        actors = self.scene.selected_actor_ids()
        ties = self.scene.selected_tie_ids()
        if not actors and not ties:
            return False
        if len(actors) == 1 and not ties:
            actor = self.map.actors[actors[0]]
            count = len(self.map.ties_of(actor.id))
            text = f"Delete {actor.name}" + (
                f" and its {count} tie{'s' if count != 1 else ''}?" if count else "?"
            )
        else:
            text = f"Delete {len(actors)} actor(s) and {len(ties)} tie(s)?"
        if not self.confirm(text):
            return False
        return self.run(delete_selection(self.map, actors, ties))

    # -- layouts -----------------------------------------------------------------------------
    def tidy(self, method: str) -> LayoutTask:
        if self.layout_task is not None and self.layout_task.running:
            self.layout_task.cancel()
        task = LayoutTask(self.map, self.stack, method, self)
        task.failed.connect(self.show_error)
        self.layout_note.setText(task.note)
        self.layout_note.setVisible(bool(task.note))
        task.applied.connect(lambda _n: self.view.fit())
        self.layout_task = task
        task.start()
        return task

    # -- full screen, export -------------------------------------------------------------------
    def show_full_screen(self) -> ParticipantWindow:
        if self.participant is None:
            self.participant = ParticipantWindow(
                self.scene, self.map.vocabulary, self.map.focus_question
            )
            self.participant.destroyed.connect(lambda: setattr(self, "participant", None))
            self.participant.showFullScreen()
            self.participant.view.fit()
        return self.participant

    def export(self, kind: str) -> Path | None:
        path = self.ask_path(kind)
        if not path:
            return None
        return guarded(
            self,
            lambda: export_view(
                self.view, path, self.map.vocabulary, self.map.focus_question or "Relationship map"
            ),
            "Not exported",
        )

    def _ask_path(self, kind: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the map", f"map.{kind}", f"{kind.upper()} files (*.{kind})"
        )
        return path or None

    # -- dialogs -------------------------------------------------------------------------------
    def _ask_actor(self, pos: QPointF | None) -> dict[str, str] | None:
        dialog = AddActorDialog(self.roster, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _ask_tie(self, source: str, target: str) -> dict[str, Any] | None:
        dialog = TieDialog(
            self.map.vocabulary,
            self.map.actors[source].name,
            self.map.actors[target].name,
            self.tie_type.currentData() if self.step() == TIES else None,
            self,
        )
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, "Not done", message)

    # -- lifecycle -----------------------------------------------------------------------------
    def _saved(self) -> None:
        self.saved_mark.setText("✓ Saved")
        if self.notify:
            self.notify("maps")
        self.saved.emit()

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt's name)
        super().showEvent(event)
        if not getattr(self, "_fitted", False):
            self._fitted = True
            self.view.fit()

    def close_editor(self) -> None:
        self.shutdown()
        self.closed.emit()

    def shutdown(self) -> None:
        """Stop listening and working; the map is already saved edit by edit."""
        if getattr(self, "_shut", False):
            return
        self._shut = True
        self.metrics.stop()
        if self.layout_task is not None:
            self.layout_task.cancel()
        if self.participant is not None:
            self.participant.close()
        self._unsubscribe()
        self.scene.selectionChanged.disconnect(self._selection_changed)
        self.scene.close()
        if self.autosave is not None:
            self.autosave.close()
            self.autosave = None
