"""The project file's schema, as numbered migrations (sqlite-utils `Migrations`).

Never edit a migration that has shipped: add the next number. `SCHEMA_VERSION` is the count of
migrations this build knows; a file that has applied a migration we do not know was written by
a newer fieldkit and is refused rather than guessed at.

Answers are one row per question per interview (`answers`, keyed by interview and answer key),
not one JSON document per interview: an autosave is then a single-row UPSERT, as small and as
durable as a write can be, and two laptops editing different answers of the same record merge
answer by answer.
"""

from __future__ import annotations

from fieldkit.store._sqlite_utils import Database, Migrations

MIGRATION_SET = "fieldkit"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE project (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            settings TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE sites (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE rounds (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            ordinal INTEGER NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE fieldworkers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created TEXT NOT NULL
        );
        CREATE TABLE forms (
            id TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            version TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            source_name TEXT NOT NULL,
            source_hash TEXT NOT NULL,
            source BLOB NOT NULL,
            imported TEXT NOT NULL,
            UNIQUE (form_id, source_hash)
        );
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY,
            form TEXT NOT NULL REFERENCES forms(id),
            site TEXT REFERENCES sites(id),
            round TEXT REFERENCES rounds(id),
            fieldworker TEXT REFERENCES fieldworkers(id),
            device TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'finalized')),
            respondent_code TEXT,
            respondent_sector TEXT,
            language TEXT,
            position TEXT,
            revision INTEGER NOT NULL DEFAULT 1,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            finalized TEXT
        );
        CREATE INDEX interviews_site_round ON interviews(site, round, status);
        CREATE TABLE answers (
            interview TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (interview, key)
        ) WITHOUT ROWID;
        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            interview TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            filename TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE maps (
            id TEXT PRIMARY KEY,
            interview TEXT REFERENCES interviews(id) ON DELETE SET NULL,
            site TEXT REFERENCES sites(id),
            round TEXT REFERENCES rounds(id),
            fieldworker TEXT REFERENCES fieldworkers(id),
            device TEXT NOT NULL,
            focus_question TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            vocabulary TEXT NOT NULL DEFAULT '{}',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE map_actors (
            id TEXT PRIMARY KEY,
            map TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sector TEXT NOT NULL,
            kind TEXT NOT NULL,
            influence INTEGER,
            goals TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            notes_sensitive INTEGER NOT NULL DEFAULT 1,
            x REAL,
            y REAL,
            updated TEXT NOT NULL
        );
        CREATE INDEX map_actors_map ON map_actors(map);
        CREATE TABLE map_ties (
            id TEXT PRIMARY KEY,
            map TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            source TEXT NOT NULL REFERENCES map_actors(id) ON DELETE CASCADE,
            target TEXT NOT NULL REFERENCES map_actors(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            direction TEXT NOT NULL,
            strength INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL
        );
        CREATE INDEX map_ties_map ON map_ties(map);
        CREATE TABLE aliases (
            alias TEXT PRIMARY KEY,
            canonical TEXT NOT NULL,
            confirmed TEXT NOT NULL
        );
        CREATE TABLE actions (
            id TEXT PRIMARY KEY,
            site TEXT REFERENCES sites(id),
            round TEXT REFERENCES rounds(id),
            title TEXT NOT NULL,
            indicators TEXT NOT NULL DEFAULT '[]',
            lead_sector TEXT,
            partners TEXT NOT NULL DEFAULT '',
            due TEXT,
            status TEXT NOT NULL DEFAULT 'planned',
            notes TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            fieldworker TEXT,
            device TEXT,
            record_table TEXT NOT NULL,
            record_id TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        """
    )


@migrations(name="0002_consent_link")
def m0002_consent_link(db: Database) -> None:
    """An interview records the consent interview that opened it (consent comes first)."""
    db.executescript(
        """
        ALTER TABLE interviews ADD COLUMN consent TEXT REFERENCES interviews(id) ON DELETE SET NULL;
        CREATE INDEX interviews_consent ON interviews(consent);
        CREATE INDEX interviews_respondent ON interviews(respondent_code);
        """
    )


# Later migrations go below, numbered on: 0003_..., 0004_...


@migrations(name="0003_team_sync")
def m0003_team_sync(db: Database) -> None:
    """Bundles, conflicts, encryption at rest and erasure (issue 8).

    `sync_history` keeps every content hash a record has been exchanged in, so an import can tell
    "older copy of what I have" from "edited elsewhere since we last met" (a conflict).
    `sealed` holds finalized interviews encrypted to the coordinator's key on laptops.
    `erasures` are tombstones (ids only, no personal data) so an erased respondent never comes
    back with an old bundle. `imports` remembers which bundles were applied.
    """
    db.executescript(
        """
        CREATE TABLE sync_history (
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (kind, record_id, hash)
        ) WITHOUT ROWID;
        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            local_hash TEXT NOT NULL,
            incoming_hash TEXT NOT NULL,
            incoming TEXT NOT NULL,
            source_device TEXT,
            source_fieldworker TEXT,
            bundle TEXT,
            created TEXT NOT NULL,
            resolved TEXT,
            resolution TEXT,
            UNIQUE (kind, record_id, incoming_hash)
        );
        CREATE INDEX conflicts_open ON conflicts(resolved, kind);
        CREATE TABLE sealed (
            interview TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            key_id TEXT NOT NULL,
            envelope BLOB NOT NULL,
            sealed TEXT NOT NULL
        );
        CREATE TABLE erasures (
            record_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            erased TEXT NOT NULL
        );
        CREATE TABLE imports (
            bundle_id TEXT PRIMARY KEY,
            device TEXT,
            fieldworker TEXT,
            created TEXT,
            imported TEXT NOT NULL,
            counts TEXT NOT NULL DEFAULT '{}'
        );
        """
    )


@migrations(name="0004_form_files")
def m0004_form_files(db: Database) -> None:
    """The choices CSVs a form's select_*_from_file questions read, kept with the form version."""
    db.executescript(
        """
        CREATE TABLE form_files (
            form TEXT NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            content BLOB NOT NULL,
            PRIMARY KEY (form, name)
        );
        """
    )


@migrations(name="0005_interview_revisions")
def m0005_interview_revisions(db: Database) -> None:
    """Every finalized revision of an interview, kept when it is reopened for editing."""
    db.executescript(
        """
        CREATE TABLE interview_revisions (
            interview TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            finalized TEXT,
            answers TEXT NOT NULL,
            recorded TEXT NOT NULL,
            PRIMARY KEY (interview, revision)
        );
        """
    )


SCHEMA_VERSION = len(migrations._migrations)
KNOWN_MIGRATIONS = tuple(m.name for m in migrations._migrations)
