"""The interview runner: the view a fieldworker lives in while talking to someone.

It presents one screen at a time of an `InterviewSession` (a question, or a whole field-list
group) and holds no rules of its own: every answer goes to `InterviewSession.set`, which is
durable before it returns, and the returned `Changes` say which cards, list entries and
screens to refresh, so a 2,000-question form stays as quick as a 20-question one.

Validation messages appear on a screen when the fieldworker leaves it (the first Next on a
screen with problems shows them and stays; a second Next goes on: drafts may be incomplete);
Finalize lists every problem and jumps to it. The screen and the language are remembered at
every move, so a relaunch after a crash resumes exactly there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.fieldwork import CODE_FIELD, InterviewSession
from fieldkit.forms.interview import Changes, make_key, split_key
from fieldkit.forms.model import Node
from fieldkit.gui.guard import guarded
from fieldkit.gui.interview.look import language_title, register_fonts, runner_style
from fieldkit.gui.interview.review import ReviewPanel
from fieldkit.gui.interview.screens import (
    MARKS,
    UNANSWERED,
    Entry,
    ScreenPlan,
    fill_outputs,
    instance_suffix,
)
from fieldkit.gui.interview.widgets import (
    DIGIT_KEYS,
    AttachmentWidget,
    QuestionCard,
    QuestionWidget,
    _ChoiceWidget,
    is_right_to_left,
    scaled_font,
)


class InterviewRunner(QWidget):
    """Header, progress, one screen of question cards, Back/Next, jump list, review."""

    finished = Signal(str)  # interview id, after a successful finalize
    closed = Signal()
    saved = Signal(str)  # the key just made durable

    def __init__(
        self,
        session: InterviewSession,
        notify: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        register_fonts()
        self.setObjectName("InterviewRunner")
        self.setStyleSheet(runner_style())
        self.session = session
        self.engine = session.engine
        self.notify = notify or (lambda kind: None)
        self.ask_reason: Callable[[], str | None] = self._ask_reason
        self.confirm: Callable[[str], bool] = self._confirm
        self._nodes: dict[str, Node] = self.engine.form.nodes_by_name()
        self.plan = ScreenPlan(self.engine)
        self._warned: str | None = None
        self.cards: dict[str, QuestionCard] = {}
        self.current: int = 0
        self.in_review = False
        self._rerender: tuple[int, str | None] | None = None
        self._prompt_focus: QWidget | None = None
        self._build()
        self._apply_direction()
        self._fill_jump_list()
        self._show_read_only()
        self.show_entry(self.plan.resume_index(session.row.position), remember=False)

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(self.engine.form.title or self.engine.form.form_id)
        self.title.setObjectName("RunnerTitle")  # not #PageTitle: its fixed 16pt would not scale
        self.title.setFont(scaled_font(self.title, 1.6, bold=True))
        self.meta = QLabel()
        self.meta.setObjectName("Muted")
        self.language_box = QComboBox()
        self.language_box.setAccessibleName("Language of the form")
        for language in self.engine.languages():
            self.language_box.addItem(language_title(language), language)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(self.engine.language)))
        self.language_box.currentIndexChanged.connect(self._language_chosen)
        self.language_box.setEnabled(self.language_box.count() > 1)
        self.saved_mark = QLabel("✓ Saved")
        self.saved_mark.setObjectName("SavedMark")
        self.saved_mark.setAccessibleName("Save state")
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.meta)
        header.addLayout(titles, 1)
        language_label = QLabel("Language:")
        language_label.setBuddy(self.language_box)
        header.addWidget(language_label)
        header.addWidget(self.language_box)
        header.addSpacing(12)
        header.addWidget(self.saved_mark)

        self.banner = QFrame()
        self.banner.setObjectName("ReadOnlyBanner")
        self.banner_text = QLabel()
        self.edit_button = QPushButton("Edit finalized…")
        self.edit_button.setAccessibleName("Edit this finalized interview")
        self.edit_button.clicked.connect(self.edit_finalized)
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(0, 0, 0, 0)
        banner.addWidget(self.banner_text, 1)
        banner.addWidget(self.edit_button)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setTextVisible(True)

        # jump list (collapsible)
        self.jump_toggle = QToolButton()
        self.jump_toggle.setText("Screens ▾")
        self.jump_toggle.setCheckable(True)
        self.jump_toggle.setChecked(True)
        self.jump_toggle.setAccessibleName("Show or hide the list of screens")
        self.jump_list = QListWidget()
        self.jump_list.setObjectName("ScreenList")
        self.jump_list.setAccessibleName("Screens: answered, unanswered or invalid")
        self.jump_list.setUniformItemSizes(True)
        self.jump_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.jump_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.jump_list.itemClicked.connect(self._jump_item)
        self.jump_toggle.toggled.connect(self._toggle_jump)
        self.legend = QLabel("✓ answered   ○ unanswered   ⚠ invalid")
        self.legend.setObjectName("Muted")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 6, 0)
        side_layout.addWidget(self.jump_toggle)
        side_layout.addWidget(self.jump_list, 1)
        side_layout.addWidget(self.legend)

        # the screen
        self.repeat_bar = QFrame()
        self.repeat_bar.setObjectName("RepeatBar")
        self.repeat_text = QLabel()
        self.repeat_text.setFont(scaled_font(self.repeat_text, 1.1, bold=True))
        self.remove_button = QPushButton("Remove this one…")
        self.remove_button.clicked.connect(self._remove_instance)
        repeat_bar = QHBoxLayout(self.repeat_bar)
        repeat_bar.setContentsMargins(0, 0, 0, 0)
        repeat_bar.addWidget(self.repeat_text, 1)
        repeat_bar.addWidget(self.remove_button)
        self.screen_title = QLabel()
        self.screen_title.setWordWrap(True)
        self.screen_title.setFont(scaled_font(self.screen_title, 1.2, bold=True))
        self.cards_holder = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_holder)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(10)
        screen = QWidget()
        screen_layout = QVBoxLayout(screen)
        screen_layout.addWidget(self.repeat_bar)
        screen_layout.addWidget(self.screen_title)
        screen_layout.addWidget(self.cards_holder)
        screen_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(screen)
        self.scroll.setAccessibleName("Questions on this screen")

        self.review = ReviewPanel()
        self.problems = self.review.problems
        self.finalize_button = self.review.finalize_button
        self.review_summary = self.review.summary
        self.problems.itemDoubleClicked.connect(self._problem_chosen)
        self.problems.installEventFilter(self)
        self.review.back_button.clicked.connect(lambda: self.show_entry(self.current))
        self.finalize_button.clicked.connect(self.finalize)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.scroll)
        self.pages.addWidget(self.review)

        self.splitter = QSplitter()
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 1000])
        self.splitter.setChildrenCollapsible(False)

        self.back_button = QPushButton("Back")
        self.back_button.setAccessibleName("Back to the previous screen")
        self.back_button.clicked.connect(self.back)
        self.review_button = QPushButton("Review and finalize…")
        self.review_button.clicked.connect(self.show_review)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the interview (everything is saved)")
        self.close_button.clicked.connect(self.close_runner)
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        self.next_button = QPushButton("Next")
        self.next_button.setObjectName("Primary")
        self.next_button.setAccessibleName("Next screen (Enter)")
        self.next_button.clicked.connect(self.next)
        footer = QHBoxLayout()
        footer.addWidget(self.back_button)
        footer.addWidget(self.close_button)
        footer.addWidget(self.status, 1)
        footer.addWidget(self.review_button)
        footer.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.progress)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(footer)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self,
                self._next_key,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Save),
            self,
            self.already_saved,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._update_meta()
        self.jump_list.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        """Enter on a list goes to its screen, and is not also taken as Next."""
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QListWidget)
        ):
            item = watched.currentItem()
            if item is not None:
                if watched is self.problems:
                    self._problem_chosen(item)
                else:
                    self._jump_item(item)
            return True
        return super().eventFilter(watched, event)

    # -- screens ---------------------------------------------------------------------------
    @property
    def entries(self) -> list[Entry]:
        """The relevant stops, in order."""
        return self.plan.entries

    def _rebuild_entries(self) -> None:
        self.plan.rebuild()

    def _relevant_keys(self, entry: Entry) -> list[str]:
        return self.plan.relevant_keys(entry)

    def _answerable(self, key: str) -> bool:
        return self.plan.answerable(key)

    def _fill_jump_list(self) -> None:
        """One row per stop; irrelevant ones are hidden rather than removed (cheap to flip)."""
        self.jump_list.setUpdatesEnabled(False)
        self.jump_list.clear()
        for entry in self.plan.all_entries:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.jump_list.addItem(item)
            if entry.key in self.plan.index:
                self._paint_item(item, entry)
            else:
                item.setHidden(True)
        self.jump_list.setUpdatesEnabled(True)
        self._update_progress()

    def _paint_item(self, item: QListWidgetItem, entry: Entry) -> None:
        status = self.plan.status.get(entry.key, UNANSWERED)
        title = self.plan.title(entry)
        item.setText(f"{MARKS[status]}  {title}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {status}")
        item.setToolTip(status)

    def _refresh_statuses(self, entry_keys: set[str]) -> None:
        """Only the touched stops: their status, their row (shown or hidden), the progress."""
        for key in entry_keys:
            row = self.plan.row.get(key)
            if row is None:
                continue
            relevant = key in self.plan.index
            if relevant:
                self.plan.update_status(key)
            item = self.jump_list.item(row)
            if item is not None:
                item.setHidden(not relevant)
                if relevant:
                    self._paint_item(item, self.plan.all_entries[row])
        self._update_progress()

    def _update_progress(self) -> None:
        done, total = self.plan.progress()
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {total} screens done")

    # -- showing a screen ------------------------------------------------------------------
    def current_entry(self) -> Entry | None:
        return self.entries[self.current] if 0 <= self.current < len(self.entries) else None

    def show_entry(self, index: int, remember: bool = True, focus_key: str | None = None) -> None:
        self._rerender = None
        self.in_review = False
        self.pages.setCurrentWidget(self.scroll)
        self.current = max(0, min(index, len(self.entries) - 1))
        entry = self.current_entry()
        self._clear_cards()
        self.repeat_bar.hide()
        self.screen_title.hide()
        if entry is None:
            self.screen_title.setText("This form has nothing to ask.")
            self.screen_title.show()
        elif entry.repeat:
            self._show_repeat_prompt(entry)
        else:
            self._show_screen(entry)
        self.jump_list.blockSignals(True)
        self.jump_list.setCurrentRow(self.plan.row.get(entry.key, -1) if entry else -1)
        self.jump_list.blockSignals(False)
        self.back_button.setEnabled(self.current > 0)
        self.review_button.show()
        self.next_button.setText("Next" if self.current < len(self.entries) - 1 else "Review")
        self.next_button.setEnabled(True)
        if remember and entry is not None:
            self.session.remember_position(entry.screen)
        self._warned = None
        self._focus_first(focus_key)
        self.scroll.verticalScrollBar().setValue(0)
        if focus_key in self.cards:
            self.scroll.ensureWidgetVisible(self.cards[focus_key])

    def _clear_cards(self) -> None:
        """Old cards are hidden and deleted, never re-parented to None: a parentless widget
        is a window, and one not yet deleted could surface as a stray window."""
        for card in self.cards.values():
            card.widget.flush()
            card.hide()
            card.deleteLater()
        self.cards = {}
        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _make_card(self, key: str, compact: bool = False) -> QuestionCard:
        node = self._nodes[split_key(key)[0]]
        card = QuestionCard(key, node, self.session, compact=compact)
        card.retranslate(self._outputs)
        card.widget.answered.connect(self._answered)
        card.widget.editing.connect(self._editing)
        if isinstance(card.widget, AttachmentWidget):
            card.widget.attachRequested.connect(self._attach)
        card.widget.set_read_only(self.session.read_only or self.engine.is_read_only(key))
        if key in self.plan.shown:
            card.show_message(self.engine.validate(key))
        return card

    def _show_screen(self, entry: Entry) -> None:
        keys = self._relevant_keys(entry)
        if entry.key not in entry.screen.keys:
            title = self._outputs(entry.key, self.engine.label(entry.key))
            self.screen_title.setText(title)
            self.screen_title.setVisible(bool(title))
        self._show_instance_bar(entry.key if entry.key not in keys else keys[0])
        for key in keys:
            card = self._make_card(key, compact=len(keys) > 1)
            self.cards[key] = card
            self.cards_layout.addWidget(card)
            card.show()  # now, not at the next event loop turn: the screen is complete at once
        self.plan.visited.add(entry.key)

    def _show_instance_bar(self, key: str) -> None:
        _, scope = split_key(key)
        if not scope:
            return
        repeat, index = scope[-1]
        repeat_key = make_key(scope[:-1], repeat)
        count = self.engine.repeat_count(repeat_key)
        self.repeat_text.setText(f"{self.plan.repeat_label(repeat_key)} — {index + 1} of {count}")
        node = self._nodes[repeat]
        self.remove_button.setVisible(not node.repeat_count and not self.session.read_only)
        self.remove_button.setProperty("instance", (repeat_key, index))
        self.remove_button.setAccessibleName(
            f"Remove {self.plan.repeat_label(repeat_key)} {index + 1}"
        )
        self.repeat_bar.show()

    def _show_repeat_prompt(self, entry: Entry) -> None:
        assert entry.repeat is not None
        label = self.plan.repeat_label(entry.repeat)
        count = self.engine.repeat_count(entry.repeat)
        self.screen_title.setText(f"{label}: {count} entered")
        self.screen_title.show()
        info = QLabel(
            f"Add another {label}, or press Next to go on."
            if count
            else f"No {label} entered yet. Add one, or press Next to go on."
        )
        info.setWordWrap(True)
        add = QPushButton(f"Add {label}")
        add.setObjectName("AddRepeat")
        add.setAccessibleName(f"Add {label}")
        add.setEnabled(not self.session.read_only)
        add.clicked.connect(lambda: self.add_instance(entry.repeat))  # type: ignore[arg-type]
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(info)
        box.addLayout(row)
        self.cards_layout.addWidget(holder)
        holder.show()
        self.add_repeat_button = add
        self.plan.visited.add(entry.key)
        self._prompt_focus = add

    def _focus_first(self, key: str | None = None) -> None:
        prompt, self._prompt_focus = self._prompt_focus, None
        if prompt is not None and prompt.isEnabled():
            prompt.setFocus()
            return
        if key and key in self.cards:
            self.cards[key].widget.setFocus()
            return
        for card in self.cards.values():
            target = card.widget.focusProxy() or card.widget
            if target.focusPolicy() != Qt.FocusPolicy.NoFocus and target.isEnabled():
                card.widget.setFocus()
                return
        self.next_button.setFocus()

    def _outputs(self, key: str, text: str) -> str:
        return fill_outputs(self.engine, key, text)

    # -- navigation --------------------------------------------------------------------------
    def flush(self) -> None:
        """Send every typed-but-pending answer now (before moving, closing, finalizing)."""
        for card in list(self.cards.values()):
            card.widget.flush()

    def _screen_problems(self, entry: Entry) -> dict[str, str]:
        return self.plan.problems(entry)

    def next(self) -> None:
        """Show the screen's problems on leaving it; a second Next goes on anyway (a draft)."""
        if self.in_review:
            return
        self.flush()
        entry = self.current_entry()
        if entry is not None and not self.session.read_only:
            problems = self._screen_problems(entry)
            fresh = list(problems)
            self._show_messages(entry)
            if fresh and self._warned != entry.key:
                self._warned = entry.key
                self.status.setText(
                    "Please check the marked answers. Press Next again to go on anyway "
                    "(a draft may be incomplete)."
                )
                self.cards[fresh[0]].widget.setFocus() if fresh[0] in self.cards else None
                return
        self.status.setText("")
        if self.current >= len(self.entries) - 1:
            self.show_review()
        else:
            self.show_entry(self.current + 1)

    def back(self) -> None:
        if self.in_review:
            self.show_entry(self.current)
            return
        self.flush()
        entry = self.current_entry()
        if entry is not None and not self.session.read_only:
            self._show_messages(entry)
        self.status.setText("")
        if self.current > 0:
            self.show_entry(self.current - 1)

    def _show_messages(self, entry: Entry) -> None:
        keys = [k for k in self._relevant_keys(entry) if self._answerable(k)]
        self.plan.shown.update(keys)
        for key in keys:
            if key in self.cards:
                self.cards[key].show_message(self.engine.validate(key))
        self._refresh_statuses({entry.key})

    def jump_to(self, key: str) -> None:
        """Show the screen holding `key` (a screen key or a question key)."""
        self.flush()
        entry_key = key if key in self.plan.index else self.plan.entry_of.get(key)
        if entry_key is None:
            return
        self.status.setText("")
        self.show_entry(self.plan.index[entry_key], focus_key=key)

    def _jump_item(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if self.in_review or key != self.current_entry().key:  # type: ignore[union-attr]
            entry = self.current_entry()
            if entry is not None and not self.in_review and not self.session.read_only:
                self._show_messages(entry)
            self.jump_to(key)

    def _toggle_jump(self, shown: bool) -> None:
        self.jump_list.setVisible(shown)
        self.legend.setVisible(shown)
        self.jump_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    # -- answering ------------------------------------------------------------------------------
    def _answered(self, key: str, raw: object) -> None:
        if self.session.read_only:
            return
        changes = guarded(self, lambda: self.session.set(key, raw), "Answer not saved")
        if changes is None:
            return
        self._after_change(key, changes)

    def _attach(self, key: str, path: object) -> None:
        changes = guarded(self, lambda: self.session.attach(key, path), "File not attached")  # type: ignore[arg-type]
        if changes is not None:
            self._after_change(key, changes)
            if key in self.cards:
                self.cards[key].widget.show_value(self.engine.value(key))

    def _after_change(self, key: str, changes: Changes) -> None:
        card = self.cards.get(key)
        if changes.errors:
            self.saved_mark.setText("Not saved: see the message")
            self.saved_mark.setObjectName("ErrorText")
            self._restyle(self.saved_mark)
            if card is not None:
                card.show_message(changes.errors.get(key) or changes.message)
            self._refresh_statuses({self.plan.entry_of.get(key, "")})
            return
        self._mark_saved(key)
        if card is not None and (key in self.plan.shown or card.message.isVisible()):
            card.show_message(changes.message)
        self.apply(changes, key)

    def _editing(self, key: str) -> None:
        self.saved_mark.setText("Saving…")

    def _mark_saved(self, key: str) -> None:
        self.saved_mark.setText(f"✓ Saved {time.strftime('%H:%M:%S')}")
        if self.saved_mark.objectName() != "SavedMark":
            self.saved_mark.setObjectName("SavedMark")
            self._restyle(self.saved_mark)
        self.saved.emit(key)
        self.notify("answers")

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def apply(self, changes: Changes, source: str | None = None) -> None:
        """Refresh only what `changes` touched: cards on screen, list entries, the screen set."""
        touched = changes.values | changes.relevance
        if source:
            touched.add(source)
        if changes.structure or changes.relevance:
            current = self.current_entry()
            current_key = current.key if current else None
            focus = self._focused_key()
            if changes.structure:
                self._rebuild_entries()
                self._fill_jump_list()
            else:
                flipped = self.plan.filter_relevant()
                self._refresh_statuses(
                    flipped | {self.plan.entry_of[k] for k in touched if k in self.plan.entry_of}
                )
            if not self.in_review:
                if current_key in self.plan.index:
                    self.current = self.plan.index[current_key]
                current = self.current_entry()
                shown = set(self.cards)
                wanted = (
                    set(self._relevant_keys(current)) if current and not current.repeat else set()
                )
                if shown != wanted or changes.structure:
                    self._schedule_rerender(focus)
            else:  # the review lists every relevant question: questions came or went
                wanted = {
                    k
                    for e in self.entries
                    if not e.repeat
                    for k in self._relevant_keys(e)
                    if self._answerable(k)
                }
                if wanted != set(self.cards):
                    self._schedule_rerender(focus)
        else:
            self._refresh_statuses(
                {self.plan.entry_of[k] for k in touched if k in self.plan.entry_of}
            )
        for key, card in self.cards.items():
            if key in changes.values and key != source:
                card.widget.show_value(self.engine.value(key))
            if changes.values and "${" in "".join(card.node.label.values()) + "".join(
                card.node.hint.values()
            ):
                card.retranslate(self._outputs)
            if (
                changes.values
                and isinstance(card.widget, _ChoiceWidget)
                and card.node.choice_filter
            ):
                card.widget.refresh_choices()

    def _schedule_rerender(self, focus: str | None) -> None:
        """Rebuild the screen's cards after the current key or click is fully handled: the
        widget that caused the change must live until then (Enter still reaches Next)."""
        self._rerender = (self.current, focus)
        QTimer.singleShot(0, self._rerender_now)

    def _rerender_now(self) -> None:
        pending, self._rerender = self._rerender, None
        if pending is None or pending[0] != self.current:
            return
        if not self.in_review:
            self.show_entry(self.current, remember=False, focus_key=pending[1])
            return
        self.show_review()
        if pending[1] in self.cards:
            self.cards[pending[1]].widget.setFocus()
            self.review.scroll.ensureWidgetVisible(self.cards[pending[1]])

    def _focused_key(self) -> str | None:
        focus = self.focusWidget()
        for key, card in self.cards.items():
            if focus is not None and card.isAncestorOf(focus):
                return key
        return None

    # -- repeats ----------------------------------------------------------------------------------
    def add_instance(self, repeat_key: str) -> None:
        result = guarded(self, lambda: self.session.add_repeat(repeat_key), "Not added")
        if result is None:
            return
        index, changes = result
        self._mark_saved(repeat_key)
        changes.structure = True
        self.apply(changes)
        first = make_key((*split_key(repeat_key)[1], (split_key(repeat_key)[0], index)), "")
        for number, entry in enumerate(self.entries):
            if entry.key.startswith(first):
                self.show_entry(number)
                return

    def _remove_instance(self) -> None:
        repeat_key, index = self.remove_button.property("instance")
        label = self.plan.repeat_label(repeat_key)
        if not self.confirm(f"Remove {label} {index + 1} and its answers?"):
            return
        self.flush()
        changes = guarded(
            self, lambda: self.session.remove_repeat(repeat_key, index), "Not removed"
        )
        if changes is None:
            return
        self._mark_saved(repeat_key)
        changes.structure = True
        self.apply(changes)
        self.show_entry(self.plan.index.get(repeat_key, self.current))

    # -- language -----------------------------------------------------------------------------------
    def _language_chosen(self, index: int) -> None:
        language = self.language_box.itemData(index)
        if language is None or language == self.engine.language:
            return
        self.flush()
        changes = guarded(self, lambda: self.session.set_language(language), "Language not changed")
        if changes is None:
            return
        self._apply_direction()
        focus = self._focused_key()
        self._rebuild_entries()
        self._fill_jump_list()
        if self.in_review:
            self.show_review()
        else:
            self.show_entry(self.current, remember=False, focus_key=focus)
        self.language_box.setFocus() if focus is None else None

    def set_language(self, language: str) -> None:
        self.language_box.setCurrentIndex(self.language_box.findData(language))

    def _apply_direction(self) -> None:
        rtl = is_right_to_left(self.engine.language)
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        for label in (self.title, self.meta, self.screen_title):  # even when not translated
            label.setAlignment(
                Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter
            )
        if direction != self.layoutDirection():
            self.setLayoutDirection(direction)
            sizes = self.splitter.sizes()
            self.splitter.setSizes(sizes[::-1])
            self.splitter.setSizes(sizes)

    # -- header, read-only, finalize ---------------------------------------------------------------
    def _update_meta(self) -> None:
        row = self.session.row
        code = row.respondent_code
        if code is None and self.session.is_consent:
            try:
                found = self.engine.value(CODE_FIELD)
            except FieldkitError:
                found = None
            code = str(found) if found else None
        parts = [
            f"Site: {row.site_name}" if row.site_name else "No site",
            f"Round: {row.round_name}" if row.round_name else "",
            f"Respondent: {code}" if code else "",
        ]
        self.meta.setText("   ·   ".join(p for p in parts if p))

    def _show_read_only(self) -> None:
        read_only = self.session.read_only
        self.banner.setVisible(read_only)
        if read_only:
            stamp = (self.session.row.finalized or "")[:16].replace("T", " ")
            self.banner_text.setText(f"Finalized {stamp}: read only.")
        self.review_button.setEnabled(True)
        self.finalize_button.setEnabled(not read_only)
        self.saved_mark.setText("Finalized" if read_only else "✓ Saved")

    def edit_finalized(self) -> None:
        """The explicit, audited way back to editing a finalized interview."""
        reason = self.ask_reason()
        if not reason:
            return
        guarded(self, lambda: self.session.reopen(reason), "Cannot reopen")
        if self.session.read_only:
            return
        self._show_read_only()
        self.notify("interviews")
        if self.in_review:
            self.show_review()
        else:
            self.show_entry(self.current)

    def _ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(
            self, "Edit finalized interview", "Why does it need changing? (kept in the audit log)"
        )
        return text.strip() if ok and text.strip() else None

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Please confirm", question)
        return answer == QMessageBox.StandardButton.Yes

    def show_review(self) -> None:
        """Every relevant question with its answer, editable in place; problems listed above."""
        self.flush()
        self._clear_cards()
        self.in_review = True
        self.review.clear()
        for entry in self.entries:
            if entry.repeat:
                continue
            keys = [k for k in self._relevant_keys(entry) if self._answerable(k)]
            if not keys:
                continue
            if entry.key not in entry.screen.keys:
                self.review.add_heading(self._outputs(entry.key, self.engine.label(entry.key)))
            for key in keys:
                card = self._make_card(key, compact=True)
                card.show_message(self.engine.validate(key) if key in self.plan.shown else None)
                self.cards[key] = card
                self.review.add_card(card)
        self.review.finish()
        self._list_problems(self.session.problems() if not self.session.read_only else {})
        self.pages.setCurrentWidget(self.review)
        self.status.setText("")
        self.review_button.hide()
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(True)
        if self.session.read_only:
            self.review_summary.setText("This interview is finalized.")
        self.finalize_button.setFocus()

    def _list_problems(self, problems: dict[str, str]) -> None:
        rows = []
        for key, message in problems.items():
            label = " ".join((self.engine.label(key) or key).split())
            rows.append((key, f"⚠  {label[:60]}{instance_suffix(key)}: {message}"))
        answered = sum(1 for k in self.engine.relevant_keys() if self.engine.value(k) is not None)
        self.review.list_problems(rows, answered)

    def _problem_chosen(self, item: QListWidgetItem) -> None:
        self.jump_to(item.data(Qt.ItemDataRole.UserRole))

    def finalize(self) -> bool:
        """Finalize, or list every problem (shown on its question too) and go to the first."""
        self.flush()
        problems = self.session.problems()
        if problems:
            self.plan.shown.update(problems)
            self._refresh_statuses(
                {self.plan.entry_of[k] for k in problems if k in self.plan.entry_of}
            )
            if not self.in_review:
                self.show_review()
            for key, card in self.cards.items():
                card.show_message(problems.get(key))
            self._list_problems(problems)
            self.problems.setCurrentRow(0)
            self.problems.setFocus()
            self.status.setText(f"Not finalized: {len(problems)} problem(s) to fix.")
            return False
        row = guarded(self, self.session.finalize, "Not finalized")
        if row is None:
            return False
        self._update_meta()
        self._show_read_only()
        self.status.setText("Finalized.")
        self.notify("interviews")
        self.finished.emit(self.session.id)
        return True

    # -- keyboard, closing ---------------------------------------------------------------------------
    def _next_key(self) -> None:
        if not self.in_review:
            self.next()

    def already_saved(self) -> None:
        self.flush()
        self.status.setText("Already saved: every answer is saved as you give it.")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.in_review:
            self.next()
            return
        if key in DIGIT_KEYS and not self.in_review and not event.modifiers():
            selects = [c.widget for c in self.cards.values() if isinstance(c.widget, _ChoiceWidget)]
            target = next(
                (w for w in selects if w._value() is None), selects[0] if selects else None
            )
            if target is not None and target.pick(DIGIT_KEYS[key]):
                return
        super().keyPressEvent(event)

    def refocus(self) -> None:
        """Give the keyboard to the screen's first question (after showing the window)."""
        if not self.in_review:
            self._focus_first()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus) or focus is self:
            self.refocus()

    def is_saved(self) -> bool:
        """True when nothing typed is waiting to be sent (what the saved mark says)."""
        return not any(card.widget.pending for card in self.cards.values())

    def close_runner(self) -> None:
        self.flush()
        self.closed.emit()

    def shutdown(self) -> None:
        """Called when the window closes: make anything typed durable."""
        self.flush()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.flush()
        super().closeEvent(event)


def widget_of(runner: InterviewRunner, key: str) -> QuestionWidget:
    """The live widget of a question on the runner's screen (tests and scripts drive it)."""
    return runner.cards[key].widget
