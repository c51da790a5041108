"""The Team page: send this laptop's data, receive bundles, and settle conflicts.

"Send to coordinator" writes a bundle into a chosen folder (a USB stick); "Receive bundles"
imports several on a worker thread with its own connection to the project file, so the window
stays responsive and shows a progress bar, then lists what each bundle brought. The conflicts
view shows both versions answer by answer: keep one, or choose per answer and merge.
All of the work is done by fieldkit.store (bundles, merge); this page only asks and shows.
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.gui.guard import guarded
from fieldkit.gui.session import Session
from fieldkit.store import crypto, open_project_file
from fieldkit.store.bundles import ImportReport, export_bundle, import_bundles
from fieldkit.store.merge import Conflicts

log = logging.getLogger("fieldkit")
CHOICES = (("Keep local", "local"), ("Take incoming", "incoming"))


class BundleWorker(QThread):
    """Imports bundles (or writes one) on its own connection; reports progress and results."""

    progress = Signal(int, int, str)  # done, total, current file name
    finishedWith = Signal(object)  # list of ImportReport | FieldkitError, or an ExportReport
    failed = Signal(str)

    def __init__(self, project_path: Path, data_dir: Path, job: str, **params: Any):
        super().__init__()
        self.project_path = project_path
        self.data_dir = data_dir
        self.job = job
        self.params = params

    def run(self) -> None:
        try:
            with open_project_file(self.project_path, self.data_dir, backup=False) as project:
                if self.job == "import":
                    result = import_bundles(
                        project,
                        self.params["paths"],
                        self.params.get("key"),
                        progress=lambda i, n, p: self.progress.emit(i, n, p.name),
                    )
                else:
                    result = export_bundle(
                        project, self.params["out"], since=self.params.get("since")
                    )
        except FieldkitError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{exc.strerror or exc} {exc.filename or ''}".strip())
        except Exception:  # a bug: logged in full, reported in words
            log.error("bundle task failed\n%s", traceback.format_exc())
            self.failed.emit("the task failed unexpectedly (see fieldkit.log)")
        else:
            self.finishedWith.emit(result)


def describe_result(result: ImportReport | FieldkitError) -> str:
    if isinstance(result, FieldkitError):
        return "Refused - " + "; ".join(result.lines())
    who = result.fieldworker or "unknown fieldworker"
    again = " (received before)" if result.already_imported else ""
    return f"{result.path.name} from {who}: {result.summary()}{again}"


class TeamPage(QWidget):
    """Send, receive, and resolve conflicts."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.worker: BundleWorker | None = None
        self.last_results: list[ImportReport | FieldkitError] = []
        title = QLabel("Team")
        title.setObjectName("PageTitle")

        # -- send ------------------------------------------------------------------------
        send_box = QGroupBox("Send to coordinator")
        self.send_button = QPushButton("Send to coordinator…")
        self.send_button.setAccessibleName("Send to coordinator")
        self.only_changes = QCheckBox("Only what changed since the last sending")
        self.send_status = QLabel("Writes one bundle file into a folder or USB stick you choose.")
        self.send_status.setObjectName("Muted")
        self.send_status.setWordWrap(True)
        send = QVBoxLayout(send_box)
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addWidget(self.only_changes)
        row.addStretch(1)
        send.addLayout(row)
        send.addWidget(self.send_status)

        # -- receive -----------------------------------------------------------------------
        receive_box = QGroupBox("Receive bundles")
        self.receive_button = QPushButton("Receive bundles…")
        self.receive_button.setAccessibleName("Receive bundles")
        self.key_path = QLineEdit()
        self.key_path.setPlaceholderText("Private key file (only for encrypted bundles)")
        self.key_path.setAccessibleName("Private key file")
        key_browse = QPushButton("Choose…")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Private key passphrase")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Import report")
        self.report.setPlaceholderText("What each bundle brought appears here.")
        self.report.setMaximumHeight(140)
        receive = QVBoxLayout(receive_box)
        row = QHBoxLayout()
        row.addWidget(self.receive_button)
        row.addWidget(self.key_path, 1)
        row.addWidget(key_browse)
        row.addWidget(self.passphrase)
        receive.addLayout(row)
        receive.addWidget(self.progress)
        receive.addWidget(self.report)

        # -- conflicts -----------------------------------------------------------------------
        conflict_box = self.conflict_box = QGroupBox("Conflicts: records edited on two laptops")
        self.conflict_list = QListWidget()
        self.conflict_list.setAccessibleName("Open conflicts")
        self.diff = QTableWidget(0, 4)
        self.diff.setAccessibleName("Differences")
        self.diff.setHorizontalHeaderLabels(("Answer", "Local", "Incoming", "Use"))
        self.diff.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.diff.verticalHeader().hide()
        self.diff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keep_local = QPushButton("Keep local")
        self.keep_incoming = QPushButton("Keep incoming")
        self.merge_button = QPushButton("Merge chosen answers")
        self.no_conflicts = QLabel("No conflicts.")
        self.no_conflicts.setObjectName("Muted")
        conflicts = QVBoxLayout(conflict_box)
        split = QHBoxLayout()
        split.addWidget(self.conflict_list, 1)
        split.addWidget(self.diff, 2)
        conflicts.addWidget(self.no_conflicts)
        conflicts.addLayout(split)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.keep_local, self.keep_incoming, self.merge_button):
            buttons.addWidget(b)
        conflicts.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(send_box)
        layout.addWidget(receive_box)
        layout.addWidget(conflict_box, 1)

        self.send_button.clicked.connect(self._choose_folder_and_send)
        self.receive_button.clicked.connect(self._choose_and_receive)
        key_browse.clicked.connect(self._choose_key)
        self.conflict_list.currentRowChanged.connect(lambda _row: self._show_conflict())
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.keep_incoming.clicked.connect(lambda: self.resolve("incoming"))
        self.merge_button.clicked.connect(self.merge_chosen)
        session.projectChanged.connect(self.refresh)
        session.changed.connect(lambda kind: kind in ("interviews", "all") and self.refresh())
        self.refresh()

    # -- state ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def _set_busy(self, busy: bool) -> None:
        has_project = self.session.project is not None
        self.send_button.setEnabled(has_project and not busy)
        self.receive_button.setEnabled(has_project and not busy)
        self.conflict_box.setEnabled(not busy)  # no resolving while a receive is writing

    def refresh(self) -> None:
        self._set_busy(self.busy)
        self.conflict_list.clear()
        project = self.session.project
        rows = Conflicts(project).list() if project is not None else []
        for r in rows:
            kind = {"interviews": "Interview", "maps": "Map", "actions": "Action"}[r["kind"]]
            item = QListWidgetItem(
                f"{kind} {r['record_id'][:8]} - from {r['source_fieldworker'] or 'unknown'}"
            )
            item.setData(Qt.ItemDataRole.UserRole, r["id"])
            self.conflict_list.addItem(item)
        self.no_conflicts.setVisible(not rows)
        for w in (self.conflict_list, self.diff, self.keep_local, self.keep_incoming):
            w.setEnabled(bool(rows))
        self.merge_button.setEnabled(False)
        if rows:
            self.conflict_list.setCurrentRow(0)
        else:
            self.diff.setRowCount(0)

    def selected_conflict(self) -> str | None:
        item = self.conflict_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # -- send ---------------------------------------------------------------------------------
    def _choose_folder_and_send(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Send to which folder or USB stick?")
        if folder:
            self.send_to(Path(folder))

    def bundle_name(self) -> str:
        project = self.session.project
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        who = "".join(c for c in project.fieldworker_name if c.isalnum()) or "laptop"
        return f"{project.slug}-{who}-{project.device[:8]}-{stamp}.fkb"

    def send_to(self, folder: Path) -> BundleWorker | None:
        if self.session.project is None or self.busy:
            return None
        out = folder / self.bundle_name()
        n = 2
        while out.exists():  # never overwrite a bundle already on the stick
            out = folder / f"{self.bundle_name()[:-4]}-{n}.fkb"
            n += 1
        since = "last" if self.only_changes.isChecked() else None
        self.send_status.setText(f"Writing {out.name}…")
        return self._start(
            BundleWorker(
                self.session.project.path, self.session.data_dir, "export", out=out, since=since
            )
        )

    # -- receive ----------------------------------------------------------------------------------
    def _choose_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Coordinator's private key", "", "Keys (*.pem)")
        if path:
            self.key_path.setText(path)

    def _choose_and_receive(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Receive bundles", "", "fieldkit bundles (*.fkb);;All files (*)"
        )
        if paths:
            self.receive([Path(p) for p in paths])

    def _key(self) -> crypto.PrivateKey | None:
        if not self.key_path.text().strip():
            return None
        return crypto.PrivateKey.from_file(
            Path(self.key_path.text().strip()), self.passphrase.text()
        )

    def receive(self, paths: list[Path]) -> BundleWorker | None:
        if self.session.project is None or self.busy or not paths:
            return None
        key = (
            guarded(self, self._key, "Private key not opened")
            if self.key_path.text().strip()
            else None
        )
        if self.key_path.text().strip() and key is None:
            return None
        self.report.setPlainText("")
        self.progress.setRange(0, len(paths))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        return self._start(
            BundleWorker(
                self.session.project.path, self.session.data_dir, "import", paths=paths, key=key
            )
        )

    # -- worker plumbing -------------------------------------------------------------------------
    def _start(self, worker: BundleWorker) -> BundleWorker:
        self.worker = worker
        worker.progress.connect(self._on_progress)
        worker.finishedWith.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(lambda: self._set_busy(False))
        self._set_busy(True)
        worker.start()
        return worker

    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {total}" + (f" - {name}" if done < total else ""))

    def _on_done(self, result: Any) -> None:
        self._set_busy(False)
        if isinstance(result, list):
            self.last_results = result
            self.report.setPlainText("\n".join(describe_result(r) for r in result))
            self.progress.setVisible(False)
            self.session.notify("all")
            self.refresh()
            self.session.status.emit(f"received {len(result)} bundle(s)")
        else:
            lock = " (encrypted for the coordinator)" if result.encrypted else ""
            count = result.counts.get("interviews", 0)
            self.send_status.setText(f"Sent {count} interview(s) to {result.path}{lock}.")
            self.session.status.emit(f"bundle written: {result.path.name}")

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.progress.setVisible(False)
        self.send_status.setText(f"Not done: {message}")
        self.report.appendPlainText(f"Not done: {message}")

    # -- conflicts -------------------------------------------------------------------------------
    def _show_conflict(self) -> None:
        conflict_id = self.selected_conflict()
        self.diff.setRowCount(0)
        if conflict_id is None or self.session.project is None:
            return
        conflicts = Conflicts(self.session.project)
        is_interview = conflicts.get(conflict_id)["kind"] == "interviews"
        differences = conflicts.differences(conflict_id)
        self.diff.setRowCount(len(differences))
        for row, d in enumerate(differences):
            self.diff.setItem(row, 0, QTableWidgetItem(d.key))
            self.diff.setItem(row, 1, QTableWidgetItem(_show(d.local)))
            self.diff.setItem(row, 2, QTableWidgetItem(_show(d.incoming)))
            if is_interview:
                pick = QComboBox()
                pick.setAccessibleName(f"Use which answer for {d.key}")
                for label, value in CHOICES:
                    pick.addItem(label, value)
                self.diff.setCellWidget(row, 3, pick)
        self.diff.setColumnHidden(3, not is_interview)
        self.merge_button.setEnabled(is_interview and bool(differences))

    def choices(self) -> dict[str, str]:
        out = {}
        for row in range(self.diff.rowCount()):
            pick = self.diff.cellWidget(row, 3)
            if isinstance(pick, QComboBox):
                out[self.diff.item(row, 0).text()] = pick.currentData()
        return out

    def resolve(self, keep: str) -> None:
        conflict_id = self.selected_conflict()
        if conflict_id is None:
            return
        if guarded(
            self, lambda: Conflicts(self.session.project).resolve(conflict_id, keep) or True
        ):
            self.session.notify("interviews")
            self.refresh()

    def merge_chosen(self) -> None:
        conflict_id = self.selected_conflict()
        if conflict_id is None:
            return
        choices = self.choices()
        if guarded(
            self, lambda: Conflicts(self.session.project).merge_answers(conflict_id, choices)
        ):
            self.session.notify("interviews")
            self.refresh()


def _show(value: Any) -> str:
    if value is None:
        return "(no answer)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
