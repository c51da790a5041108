"""A fieldworker's operations over the engine and the store: start, answer, resume, finalize.

`InterviewSession` binds a pure `Interview` to its stored record so that every accepted change
is written at once (the engine decides what changed; the store makes it durable). The GUI's
interview runner and the CLI's `interview fill` both go through here, so what one can do the
other can, and neither holds rules of its own.

Consent comes first: a community interview is opened from a finalized consent_profile
interview (its respondent code and sector carried over); without consent = yes, nothing else
opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError
from fieldkit.forms.interview import Changes, Interview, Screen
from fieldkit.forms.load import attached_files, load_form
from fieldkit.forms.shipped import shipped_form_names, shipped_source

if TYPE_CHECKING:
    from fieldkit.store import Project
    from fieldkit.store.repos.interviews import InterviewRow

CONSENT_FORM = "consent_profile"
CONSENT_FIELD = "consent"
SECTOR_FIELD = "sector"
CODE_FIELD = "respondent_code"


def ensure_shipped_forms(project: Project) -> dict[str, dict[str, Any]]:
    """Import the shipped instruments into the project (idempotent: same file, same version)."""
    records = {}
    for name in shipped_form_names():
        form, data = shipped_source(name)
        record, _ = project.forms.add(form, data, name)
        records[form.form_id] = record
    return records


def import_form(project: Project, path: Path) -> tuple[dict[str, Any], bool]:
    """Check and keep a coordinator's XLSForm; a changed file becomes a new version beside the old."""
    form = load_form(path)
    return project.forms.add(
        form, path.read_bytes(), path.name, files=attached_files(form, path.parent)
    )


def form_record(project: Project, form: str) -> dict[str, Any]:
    """An imported form by form_id (latest version) or record id; shipped forms on demand."""
    try:
        return project.forms.latest(form)
    except FieldkitError:
        shipped = ensure_shipped_forms(project)
        if form in shipped:
            return shipped[form]
        raise


@dataclass
class Saved:
    """What one change wrote: the keys made durable and the keys removed."""

    written: int
    removed: int


class InterviewSession:
    """One stored interview, live: every engine change is persisted before returning."""

    def __init__(self, project: Project, interview_id: str):
        self.project = project
        self.row: InterviewRow = project.interviews.get(interview_id)
        self.form = project.forms.load(self.row.form)
        meta = {"deviceid": project.device, "username": project.fieldworker_name}
        answers = project.interviews.answers(interview_id)
        self.engine = Interview(
            self.form,
            answers=answers or None,
            language=self.row.language if self.row.language in self.form.languages else None,
            meta=meta,
        )
        self.engine.status = self.row.status
        self._saved = dict(answers)
        if not answers and self.read_only is False:
            self._persist()  # defaults, metadata, once() values are part of the draft

    # -- state -------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.row.id

    @property
    def read_only(self) -> bool:
        return self.row.status == "finalized"

    @property
    def is_consent(self) -> bool:
        return self.form.form_id == CONSENT_FORM

    def _persist(self) -> Saved:
        current = self.engine.answers_flat()
        upserts = {k: v for k, v in current.items() if v is not None and self._saved.get(k) != v}
        removed = tuple(k for k in self._saved if k not in current or current[k] is None)
        if upserts or removed:
            self.project.interviews.set_answers(self.id, upserts, cleared=removed)
        self._saved = {k: v for k, v in current.items() if v is not None}
        return Saved(len(upserts), len(removed))

    def _guard(self) -> None:
        if self.read_only:
            raise FieldkitError("this interview is finalized: use 'Edit finalized' to change it")

    # -- answering ------------------------------------------------------------------------
    def set(self, key: str, value: object) -> Changes:
        """Give an answer; accepted answers (and what they change) are durable on return."""
        self._guard()
        changes = self.engine.set(key, value)
        if not changes.errors:
            self._persist()
        return changes

    def clear(self, key: str) -> Changes:
        return self.set(key, None)

    def add_repeat(self, repeat_key: str) -> tuple[int, Changes]:
        self._guard()
        index, changes = self.engine.add_repeat(repeat_key)
        self._persist()
        return index, changes

    def remove_repeat(self, repeat_key: str, index: int) -> Changes:
        self._guard()
        changes = self.engine.remove_repeat(repeat_key, index)
        self._persist()
        return changes

    def attach(self, key: str, file: Path) -> Changes:
        """Copy a file into the project and answer the question with its name."""
        self._guard()
        self.project.interviews.attach(self.id, key, file)
        changes = self.engine.set(key, file.name)
        self._persist()
        return changes

    def set_language(self, language: str) -> Changes:
        changes = self.engine.set_language(language)
        if not self.read_only:
            self._persist()
            self.project.interviews.set_position(self.id, self.row.position, language=language)
        return changes

    def remember_position(self, screen: Screen | None) -> None:
        """Where the fieldworker is, so a relaunch resumes exactly there."""
        if self.read_only:
            return
        key = screen.key if screen else None
        self.project.interviews.set_position(self.id, key, language=self.engine.language)
        self.row = self.project.interviews.get(self.id)

    def resume_screen(self) -> Screen | None:
        screens = self.engine.relevant_screens()
        if not screens:
            return None
        for screen in screens:
            if screen.key == self.row.position:
                return screen
        return screens[0]

    # -- finishing ------------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        """Every validation problem of the relevant questions: key -> message."""
        return self.engine.messages(self.engine.relevant_keys())

    def finalize(self) -> InterviewRow:
        """Refused (FieldkitError listing every problem) while anything is invalid."""
        self._guard()
        values = self.engine.finalize()
        code = sector = None
        if self.is_consent:
            code = values.get(CODE_FIELD)
            sector = values.get(SECTOR_FIELD) if values.get(CONSENT_FIELD) == "yes" else None
        self.row = self.project.interviews.finalize(
            self.id, values, respondent_code=code, respondent_sector=sector
        )
        self._saved = dict(values)
        return self.row

    def consent_given(self) -> bool:
        return self.is_consent and self.engine.value(CONSENT_FIELD) == "yes"

    def reopen(self, reason: str) -> None:
        """Edit finalized: explicit, and written to the audit log."""
        self.row = self.project.interviews.reopen(self.id, reason=reason)
        self.engine.status = "draft"


def start_interview(
    project: Project,
    form: str,
    site: str | None = None,
    round: str | None = None,
    consent: str | None = None,
    language: str | None = None,
) -> InterviewSession:
    """A new draft of `form`. Every form but consent_profile needs a finalized, given consent."""
    record = form_record(project, form)
    if record["form_id"] != CONSENT_FORM:
        if consent is None:
            raise FieldkitError("consent first: run the consent_profile interview before this one")
        given = project.interviews.get(consent)
        if given.form_id != CONSENT_FORM:
            raise FieldkitError(f"interview {consent} is not a consent interview")
        if given.status != "finalized" or not given.respondent_sector:
            raise FieldkitError("the respondent has not given consent: no further questions")
    row = project.interviews.create(
        record["id"], site=site, round=round, language=language, consent=consent
    )
    return InterviewSession(project, row.id)
