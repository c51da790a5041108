"""The coordinator's site network: every map of a site and round merged into one picture.

Actors of different maps are one actor when their names agree or when the coordinator has
confirmed an alias; fieldkit only suggests aliases (`suggest_aliases`), the dialog here is where
they are confirmed. Filters narrow the picture (sectors, tie types, ties reported by at least N
maps), focusing on one actor fades everyone outside its neighbourhood, and the metrics panel
measures exactly what is shown, with the same code as the map editor and the packs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit import vocab
from fieldkit.gui.guard import guarded
from fieldkit.gui.maps.canvas import ActorLook, NetworkScene, TieLook
from fieldkit.gui.maps.export import export_view
from fieldkit.gui.maps.layout_task import layout_scale
from fieldkit.gui.maps.legend import LegendWidget
from fieldkit.gui.maps.metrics_panel import LiveMetrics, MetricsPanel
from fieldkit.gui.maps.view import MapView, with_side_panel
from fieldkit.mapping.layout import layout_positions
from fieldkit.mapping.metrics import compute_metrics
from fieldkit.mapping.network import AliasSuggestion, NetworkTie, SiteNetwork
from fieldkit.mapping.persist import (
    alias_suggestions,
    reject_alias,
    rejected_aliases,
    site_network,
    unreject_alias,
)

NO_FOCUS = "(everyone)"
REFUSED_ROLE = Qt.ItemDataRole.UserRole + 1  # a suggestion marked "not the same actor"


def tie_key(tie: NetworkTie) -> str:
    return f"{tie.source}\x1f{tie.target}\x1f{tie.type}\x1f{tie.direction}"


def network_tie_look(tie: NetworkTie, network: SiteNetwork) -> TieLook:
    link = network.vocabulary.link_type(tie.type)
    label = link.label if link else tie.type
    arrow = "<->" if tie.mutual else "->"
    maps = len(network.map_ids)
    return TieLook(
        tie_key(tie),
        tie.source,
        tie.target,
        tie.type,
        network.vocabulary.colour(tie.type),
        tie.mutual,
        tie.strength,
        tie.weight,
        tooltip=(
            f"{network.actors[tie.source].name} {arrow} {network.actors[tie.target].name}\n"
            f"{label}: reported by {tie.weight} of {maps} map{'s' if maps != 1 else ''}, "
            f"mean strength {tie.strength:.1f}"
        ),
    )


def subnetwork(network: SiteNetwork, actors: set[str], ties: set[str]) -> SiteNetwork:
    """The part of a network that is shown (for the metrics of what the coordinator sees)."""
    return SiteNetwork(
        site=network.site,
        round=network.round,
        map_ids=list(network.map_ids),
        actors={k: a for k, a in network.actors.items() if k in actors},
        ties=[
            t
            for t in network.ties
            if tie_key(t) in ties and t.source in actors and t.target in actors
        ],
        aliases=dict(network.aliases),
        vocabulary=network.vocabulary,
    )


class AliasDialog(QDialog):
    """Suggested aliases to tick and confirm, or to mark as different actors (then they are not
    suggested again); confirmed and refused ones to take back."""

    def __init__(
        self,
        suggestions: Sequence[AliasSuggestion],
        confirmed: dict[str, str],
        parent: QWidget | None = None,
        refused: Sequence[tuple[str, str]] = (),
    ):
        super().__init__(parent)
        self.setWindowTitle("Same actor, other names")
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName("Suggested aliases")
        reasons = {
            "acronym": "initials",
            "contained": "shorter name",
            "similar": "similar spelling",
        }
        for suggestion in suggestions:
            item = QListWidgetItem(
                f"“{suggestion.alias}” is “{suggestion.canonical}”  "
                f"({reasons.get(suggestion.reason, suggestion.reason)}, {suggestion.score:.0%})"
            )
            item.setData(Qt.ItemDataRole.UserRole, suggestion)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.suggestions.addItem(item)
        self.confirmed = QListWidget()
        self.confirmed.setAccessibleName("Confirmed aliases")
        for alias, canonical in sorted(confirmed.items()):
            item = QListWidgetItem(f"“{alias}” → “{canonical}”")
            item.setData(Qt.ItemDataRole.UserRole, alias)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.confirmed.addItem(item)
        self.refused_list = QListWidget()
        self.refused_list.setAccessibleName("Different actors")
        for alias, canonical in refused:
            item = QListWidgetItem(f"“{alias}” is not “{canonical}”")
            item.setData(Qt.ItemDataRole.UserRole, (alias, canonical))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.refused_list.addItem(item)
        self.different = QPushButton("Not the same actor")
        self.different.setToolTip(
            "Mark the selected suggestions as different actors: they are not suggested again"
        )
        self.different.clicked.connect(self._refuse_selected)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Tick the suggestions that name the same actor: their ties are then merged in "
            "this site's network. Nothing is merged on a guess."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(QLabel("<b>Suggested</b>"))
        layout.addWidget(self.suggestions, 2)
        if not suggestions:
            layout.addWidget(QLabel("No more suggestions."))
        else:
            layout.addWidget(self.different, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel("<b>Confirmed</b> (tick to remove)"))
        layout.addWidget(self.confirmed, 1)
        if refused:
            layout.addWidget(QLabel("<b>Different actors</b> (tick to suggest again)"))
            layout.addWidget(self.refused_list, 1)
        layout.addWidget(buttons)
        self.resize(560, 480)

    def tick(self, alias: str) -> bool:
        for i in range(self.suggestions.count()):
            item = self.suggestions.item(i)
            if item.data(Qt.ItemDataRole.UserRole).alias == alias:
                item.setCheckState(Qt.CheckState.Checked)
                return True
        return False

    def refuse(self, alias: str) -> bool:
        """Mark the suggestion of `alias` as a different actor (the button does this)."""
        for i in range(self.suggestions.count()):
            item = self.suggestions.item(i)
            if item.data(Qt.ItemDataRole.UserRole).alias == alias:
                self._mark_refused(item)
                return True
        return False

    def _refuse_selected(self) -> None:
        for item in self.suggestions.selectedItems():
            self._mark_refused(item)

    def _mark_refused(self, item: QListWidgetItem) -> None:
        if item.data(REFUSED_ROLE):
            return
        item.setData(REFUSED_ROLE, True)
        item.setData(Qt.ItemDataRole.CheckStateRole, None)  # no box: it cannot be confirmed
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        item.setText(f"✗ {item.text()} — not the same actor")
        font = item.font()
        font.setStrikeOut(True)
        item.setFont(font)

    def chosen(self) -> list[AliasSuggestion]:
        return [s for s in _checked(self.suggestions) if s not in self.refused()]

    def refused(self) -> list[AliasSuggestion]:
        return [
            self.suggestions.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.suggestions.count())
            if self.suggestions.item(i).data(REFUSED_ROLE)
        ]

    def unrefused(self) -> list[tuple[str, str]]:
        return _checked(self.refused_list)

    def unconfirmed(self) -> list[str]:
        return _checked(self.confirmed)

    def offered(self) -> list[AliasSuggestion]:
        return [
            self.suggestions.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.suggestions.count())
        ]


def _checked(widget: QListWidget) -> list[Any]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class SiteNetworkView(QWidget):
    closed = Signal()

    def __init__(
        self,
        project: Any,
        site: str,
        round: str,
        notify: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.site = site
        self.round = round
        self.notify = notify
        self.site_name = project.sites.find(site)["name"]
        self.round_name = project.rounds.find(round)["name"]
        self.scene = NetworkScene()  # no Qt parent, as in the map editor
        self.view = MapView(self.scene)
        self.network: SiteNetwork | None = None
        self.shown: SiteNetwork | None = None
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.ask_path: Callable[[str], str | None] = self._ask_path
        self._build()
        self.metrics = LiveMetrics(
            self.metrics_panel,
            snapshot=lambda: self.shown,
            compute=compute_metrics,
            size=lambda: len(self.shown.actors) if self.shown else 0,
            parent=self,
        )
        self.reload()

    # -- screen --------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(f"Site network · {self.site_name} · {self.round_name}")
        title.setObjectName("PageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("Muted")
        back = QPushButton("← Maps")
        back.clicked.connect(self.close_view)
        self.alias_button = QPushButton("Aliases…")
        self.alias_button.clicked.connect(self.open_aliases)
        fit = QPushButton("Fit")
        fit.clicked.connect(lambda: self.view.fit())
        png = QPushButton("Export PNG…")
        png.clicked.connect(lambda: self.export("png"))
        svg = QPushButton("Export SVG…")
        svg.clicked.connect(lambda: self.export("svg"))
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(title, 1)
        for button in (self.alias_button, fit, png, svg):
            top.addWidget(button)

        self.sector_boxes: dict[str, QCheckBox] = {}
        sectors = QGroupBox("Sectors")
        sector_layout = QVBoxLayout(sectors)
        for sector in vocab.SECTORS:
            box = QCheckBox(vocab.SECTOR_LABELS[sector])
            box.setChecked(True)
            box.toggled.connect(self.apply_filters)
            sector_layout.addWidget(box)
            self.sector_boxes[sector] = box
        self.type_boxes: dict[str, QCheckBox] = {}
        self.types_group = QGroupBox("Ties")
        QVBoxLayout(self.types_group)
        self.min_maps = QSpinBox()
        self.min_maps.setMinimum(1)
        self.min_maps.setAccessibleName("Reported by at least this many maps")
        self.min_maps.valueChanged.connect(self.apply_filters)
        weight_row = QHBoxLayout()
        weight_row.addWidget(QLabel("Reported by at least"))
        weight_row.addWidget(self.min_maps)
        self.maps_label = QLabel("maps")
        weight_row.addWidget(self.maps_label)
        weight_row.addStretch(1)
        self.focus = QComboBox()
        self.focus.setAccessibleName("Focus on one actor")
        self.focus.currentIndexChanged.connect(self._focus_changed)
        self.metrics_panel = MetricsPanel("Network shown")
        self.legend_box = QVBoxLayout()

        splitter = with_side_panel(
            self.view,
            QLabel("Focus on:"),
            self.focus,
            weight_row,
            sectors,
            self.types_group,
            self.metrics_panel,
            self.legend_box,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.scene.selectionChanged.connect(self._selection_changed)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt's name)
        super().showEvent(event)
        if not getattr(self, "_fitted", False):
            self._fitted = True
            self.view.fit()

    # -- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Merge the maps again (after an alias is confirmed) and redraw."""
        network = guarded(
            self, lambda: site_network(self.project, self.site, self.round), "Cannot merge"
        )
        if network is None:
            return
        self.network = network
        self.scene.clear()
        self.scene.actor_items.clear()
        self.scene.tie_items.clear()
        positions = (
            layout_positions(network, "sector", scale=layout_scale(len(network.actors)))
            if network.actors
            else {}
        )
        for key, actor in network.actors.items():
            others = [n for n in actor.names if n != actor.name]
            tooltip = (
                f"{actor.name}\n{vocab.SECTOR_LABELS.get(actor.sector, actor.sector)}\n"
                f"On {len(actor.map_ids)} of {len(network.map_ids)} maps"
                + (
                    f"\nInfluence (mean): {actor.influence:.1f}"
                    if actor.influence is not None
                    else ""
                )
                + (f"\nAlso called: {', '.join(others)}" if others else "")
            )
            self.scene.add_actor_item(
                ActorLook(key, actor.name, actor.sector, actor.influence, tooltip),
                positions.get(key, (0.0, 0.0)),
                movable=True,
            )
        for tie in network.ties:
            self.scene.add_tie_item(network_tie_look(tie, network))
        self.scene.grow_scene_rect()
        self._reload_type_boxes()
        self.min_maps.setMaximum(max(1, len(network.map_ids)))
        current = self.focus.currentData()
        self.focus.blockSignals(True)
        self.focus.clear()
        self.focus.addItem(NO_FOCUS, None)
        for actor in sorted(network.actors.values(), key=lambda a: a.name.casefold()):
            self.focus.addItem(actor.name, actor.key)
        self.focus.setCurrentIndex(max(0, self.focus.findData(current)))
        self.focus.blockSignals(False)
        while self.legend_box.count():
            old = self.legend_box.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        self.legend_box.addWidget(LegendWidget(network.vocabulary))
        self.suggestions = (
            guarded(
                self, lambda: alias_suggestions(self.project, network), "Cannot suggest aliases"
            )
            or []
        )
        self.alias_button.setText(
            f"Aliases ({len(self.suggestions)} suggested)…" if self.suggestions else "Aliases…"
        )
        self.apply_filters()
        self.view.fit()

    def _reload_type_boxes(self) -> None:
        layout = self.types_group.layout()
        keep = {name: box.isChecked() for name, box in self.type_boxes.items()}
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        self.type_boxes = {}
        for link in self.network.vocabulary.link_types:
            box = QCheckBox(link.label)
            box.setChecked(keep.get(link.name, True))
            box.toggled.connect(self.apply_filters)
            layout.addWidget(box)
            self.type_boxes[link.name] = box

    # -- filters and focus -----------------------------------------------------------------
    def apply_filters(self) -> None:
        if self.network is None:
            return
        sectors = {s for s, box in self.sector_boxes.items() if box.isChecked()}
        types = {t for t, box in self.type_boxes.items() if box.isChecked()}
        least = self.min_maps.value()
        self.maps_label.setText("map" if least == 1 else "maps")
        self.scene.set_filters(
            tie_filter=lambda look: look.type in types and look.weight >= least,
            actor_filter=lambda look: look.sector in sectors,
        )
        self._focus_changed()
        actors = {k for k, item in self.scene.actor_items.items() if item.isVisible()}
        ties = {t.key for t in self.scene.visible_ties()}
        self.shown = subnetwork(self.network, actors, ties)
        maps = len(self.network.map_ids)
        self.summary.setText(
            f"{maps} map{'s' if maps != 1 else ''} merged · showing {len(actors)} of "
            f"{len(self.network.actors)} actors and {len(ties)} of {len(self.network.ties)} ties"
        )
        self.metrics.schedule()

    def _focus_changed(self) -> None:
        self.scene.set_focus(self.focus.currentData())

    def focus_on(self, key: str | None) -> None:
        self.focus.setCurrentIndex(max(0, self.focus.findData(key)))

    def _selection_changed(self) -> None:
        if not shiboken6.isValid(self.scene):  # the scene emits while it is being destroyed
            return
        keys = [k for k, item in self.scene.actor_items.items() if item.isSelected()]
        if len(keys) == 1:
            self.focus_on(keys[0])

    # -- aliases ---------------------------------------------------------------------------
    def open_aliases(self) -> bool:
        dialog = AliasDialog(
            self.suggestions, self.project.maps.aliases(), self, rejected_aliases(self.project)
        )
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        chosen = dialog.chosen()
        unconfirmed = dialog.unconfirmed()
        refused = dialog.refused()
        unrefused = dialog.unrefused()
        if not (chosen or unconfirmed or refused or unrefused):
            return False

        def apply() -> None:
            for alias in unconfirmed:
                self.project.maps.remove_alias(alias)
            for suggestion in chosen:
                self.project.maps.confirm_alias(suggestion.alias, suggestion.canonical)
            for suggestion in refused:
                reject_alias(self.project, suggestion.alias, suggestion.canonical)
            for alias, canonical in unrefused:
                unreject_alias(self.project, alias, canonical)

        guarded(self, apply, "Aliases not saved")
        self.reload()
        if self.notify:
            self.notify("maps")
        return True

    # -- export, closing -------------------------------------------------------------------
    def export(self, kind: str) -> Any:
        path = self.ask_path(kind)
        if not path or self.network is None:
            return None
        return guarded(
            self,
            lambda: export_view(
                self.view,
                path,
                self.network.vocabulary,
                f"Site network, {self.site_name}, {self.round_name}",
            ),
            "Not exported",
        )

    def _ask_path(self, kind: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the network", f"network.{kind}", f"{kind.upper()} files (*.{kind})"
        )
        return path or None

    def close_view(self) -> None:
        self.shutdown()
        self.closed.emit()

    def shutdown(self) -> None:
        self.metrics.stop()
