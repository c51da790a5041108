"""Starting an interview: which form, where, which round, and whose consent.

Consent comes first (fieldkit.fieldwork enforces it): a new respondent starts with the
consent_profile interview and the chosen form opens only once consent is given; a respondent
who already consented (a finalized consent interview) can go straight to another form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fieldkit.fieldwork import CONSENT_FORM, InterviewSession, ensure_shipped_forms, start_interview
from fieldkit.store import Project

FOLLOW_UPS_SETTING = "follow_ups"  # project setting: consent interview id -> NewInterview


@dataclass(frozen=True)
class NewInterview:
    """What the fieldworker chose in the dialog."""

    form: str  # forms.id of the chosen version
    form_id: str
    site: str | None
    round: str | None
    consent: str | None  # a finalized consent interview, or None for a new respondent


def latest_forms(project: Project) -> list[dict]:
    """The newest version of each imported form (shipped ones imported on first use)."""
    ensure_shipped_forms(project)
    latest: dict[str, dict] = {}
    for record in project.forms.list():  # ordered by form_id, then import time
        latest[record["form_id"]] = record
    return sorted(latest.values(), key=lambda r: (r["form_id"] == CONSENT_FORM, r["title"]))


def consented_respondents(project: Project, site: str | None) -> list:
    """Finalized consent interviews where consent was given (they carry a sector)."""
    rows = project.interviews.list(site=site, status="finalized", form_id=CONSENT_FORM)
    return [row for row in rows if row.respondent_sector]


class NewInterviewDialog(QDialog):
    """Choose form (shipped or imported), site, round and respondent."""

    def __init__(
        self,
        project: Project,
        site: str | None = None,
        round: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("New interview")
        self.form_box = QComboBox()
        self.form_box.setAccessibleName("Form")
        for record in latest_forms(project):
            title = record["title"]
            if record["form_id"] == CONSENT_FORM:
                title = f"{title} only"
            self.form_box.addItem(f"{title}  (v{record['version']})", record)
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Site")
        self.site_box.addItem("No site", None)
        for row in project.sites.list():
            self.site_box.addItem(row["name"], row["id"])
        self.site_box.setCurrentIndex(max(0, self.site_box.findData(site)))
        self.round_box = QComboBox()
        self.round_box.setAccessibleName("Round")
        self.round_box.addItem("No round", None)
        for row in project.rounds.list():
            self.round_box.addItem(row["name"], row["id"])
        self.round_box.setCurrentIndex(max(0, self.round_box.findData(round)))
        self.respondent_box = QComboBox()
        self.respondent_box.setAccessibleName("Respondent")
        self.site_box.currentIndexChanged.connect(self._fill_respondents)
        self.form_box.currentIndexChanged.connect(self._fill_respondents)
        note = QLabel(
            "A new respondent starts with the consent questions; the chosen form opens only "
            "when consent is given."
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Form:", self.form_box)
        form.addRow("&Site:", self.site_box)
        form.addRow("&Round:", self.round_box)
        form.addRow("R&espondent:", self.respondent_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._fill_respondents()
        self.resize(520, self.sizeHint().height())

    def _fill_respondents(self) -> None:
        self.respondent_box.clear()
        self.respondent_box.addItem("New respondent (consent first)", None)
        record = self.form_box.currentData()
        if record is None or record["form_id"] == CONSENT_FORM:
            self.respondent_box.setEnabled(False)
            return
        self.respondent_box.setEnabled(True)
        for row in consented_respondents(self.project, self.site_box.currentData()):
            label = f"{row.respondent_code or row.id[:8]} ({row.respondent_sector})"
            self.respondent_box.addItem(f"{label}, consent given", row.id)

    def choice(self) -> NewInterview:
        record = self.form_box.currentData()
        return NewInterview(
            form=record["id"],
            form_id=record["form_id"],
            site=self.site_box.currentData(),
            round=self.round_box.currentData(),
            consent=self.respondent_box.currentData(),
        )


def begin(project: Project, choice: NewInterview) -> InterviewSession:
    """The first interview to run: the chosen form when consent is known, else consent_profile."""
    if choice.form_id == CONSENT_FORM or choice.consent is None:
        return start_interview(project, CONSENT_FORM, site=choice.site, round=choice.round)
    return start_interview(
        project, choice.form, site=choice.site, round=choice.round, consent=choice.consent
    )


def remember_follow_up(project: Project, consent_id: str, choice: NewInterview) -> None:
    """Keep the form chosen to follow a consent interview in the project (local settings, not
    shared in bundles), so it still opens after the app crashed during the consent questions."""
    pending = dict(project.settings.get(FOLLOW_UPS_SETTING) or {})
    pending[consent_id] = asdict(choice)
    project.update_settings(**{FOLLOW_UPS_SETTING: pending})


def pending_follow_up(project: Project, consent_id: str) -> NewInterview | None:
    """The form chosen to follow this consent interview, if one was (and is still) waiting."""
    stored = (project.settings.get(FOLLOW_UPS_SETTING) or {}).get(consent_id)
    if not isinstance(stored, dict):
        return None
    try:
        return NewInterview(**stored)
    except TypeError:  # written by another version: no follow-up rather than a crash
        return None


def forget_follow_up(project: Project, consent_id: str) -> None:
    pending = dict(project.settings.get(FOLLOW_UPS_SETTING) or {})
    if pending.pop(consent_id, None) is not None:
        project.update_settings(**{FOLLOW_UPS_SETTING: pending})


def follow_up(
    project: Project, consent: InterviewSession, choice: NewInterview
) -> InterviewSession | None:
    """After a finalized consent interview: the chosen form, if consent was given, in the
    language the consent questions ended in (when the form has it)."""
    if choice.form_id == CONSENT_FORM or not consent.consent_given():
        return None
    live = start_interview(
        project, choice.form, site=choice.site, round=choice.round, consent=consent.id
    )
    language = consent.engine.language
    if language in live.form.languages and language != live.engine.language:
        live.set_language(language)
    return live
