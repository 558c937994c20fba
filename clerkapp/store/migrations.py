"""The schema, as numbered migrations. Each runs once, in a transaction, and bumps
`PRAGMA user_version`, so a store written by an older clerkapp opens in a newer one.

Add a migration at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

from clerkapp.errors import StoreTooNew
from clerkapp.store.closeout_state import (
    closeout_rules_sql,
    closeout_stage_sql,
    import_trigger_sql,
)

SCHEMA_1 = """
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    file_path TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    preset TEXT NOT NULL,                 -- doj | bear | generic
    headers TEXT NOT NULL DEFAULT '[]',   -- JSON list: the file's header row as read
    mapping TEXT NOT NULL DEFAULT '{}',   -- JSON: header -> field (generic sheets)
    sheet TEXT,
    operator TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    row_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    people_count INTEGER NOT NULL DEFAULT 0,
    conviction_count INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'complete',
    forced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_sha256 ON imports(sha256);

-- Every row exactly as read: values is a JSON list aligned with imports.headers.
CREATE TABLE source_rows (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    person_id INTEGER REFERENCES people(id),
    "values" TEXT NOT NULL
);
CREATE INDEX source_rows_import_row ON source_rows(import_id, row_number);
CREATE INDEX source_rows_person ON source_rows(person_id);

CREATE TABLE import_errors (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_number INTEGER,
    "column" TEXT,
    value TEXT,
    message TEXT NOT NULL
);
CREATE INDEX import_errors_import ON import_errors(import_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    subject_key TEXT NOT NULL UNIQUE,     -- doj:<SUBJECT_ID> | cii:<CII> | name:<NAME>|<DOB>
    name TEXT,
    dob TEXT,                             -- ISO, or partial ISO (YYYY, YYYY-MM)
    cii TEXT,
    gender TEXT,
    race TEXT,
    aliases TEXT NOT NULL DEFAULT '[]',
    deceased_date TEXT,
    deceased INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_name ON people(name COLLATE NOCASE);
CREATE INDEX people_cii ON people(cii);

-- Registrations, deaths, dismissed counts and arrests: history that is not a conviction.
CREATE TABLE person_events (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    source_row_id INTEGER REFERENCES source_rows(id),
    kind TEXT NOT NULL,                   -- registration | deceased | dismissed | arrest
    event_date TEXT,
    code_section TEXT,
    section_number TEXT,
    text TEXT,
    cycle_key TEXT,
    county TEXT
);
CREATE INDEX person_events_person ON person_events(person_id);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    cycle_key TEXT,
    case_numbers TEXT NOT NULL DEFAULT '[]',  -- JSON list: every number the record gives
    county TEXT,
    court TEXT,
    arrest_date TEXT
);
CREATE INDEX cases_person ON cases(person_id);

CREATE TABLE convictions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    case_id INTEGER REFERENCES cases(id),
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    source_row_ids TEXT NOT NULL DEFAULT '[]',  -- JSON list of source_rows.id
    count_key TEXT,
    cycle_key TEXT,
    case_number TEXT,                     -- first case number, for the queue; all are on cases
    county TEXT,
    court TEXT,
    raw_offense TEXT,
    comment_text TEXT,
    code_section TEXT,                    -- normalized: "HS 11357(c)"
    section_code TEXT,                    -- "HS"
    section_number TEXT,                  -- "11357"
    section_subs TEXT,                    -- "c" or "a,2"
    attempted INTEGER NOT NULL DEFAULT 0,
    conspiracy INTEGER NOT NULL DEFAULT 0,
    level TEXT,                           -- F | M | I | NULL
    disposition TEXT,
    conviction_date TEXT,
    offense_date TEXT,
    offense_date_source TEXT,
    sentence_text TEXT,
    sentence_days INTEGER,
    sentence_end TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    prosecutor_outcome TEXT,
    prosecutor_reason TEXT,
    -- the latest evaluation and review, kept here so the queue filters without joins
    determination_id INTEGER,
    outcome TEXT,
    remedy TEXT,
    reason_summary TEXT,
    review_status TEXT NOT NULL DEFAULT 'pending',
    review_id INTEGER,
    -- the clerk's outcome while the current review is an override (set by the review store),
    -- and the outcome in force: what the queue shows, filters and sorts on
    override_outcome TEXT,
    outcome_in_force TEXT GENERATED ALWAYS AS (coalesce(override_outcome, outcome)) VIRTUAL
);
CREATE INDEX convictions_person ON convictions(person_id);
CREATE INDEX convictions_import ON convictions(import_id);
CREATE INDEX convictions_outcome ON convictions(outcome_in_force, review_status);
CREATE INDEX convictions_review_status ON convictions(review_status);
CREATE INDEX convictions_county ON convictions(county COLLATE NOCASE);
CREATE INDEX convictions_section ON convictions(section_number, code_section);
CREATE INDEX convictions_case_number ON convictions(case_number COLLATE NOCASE);
CREATE INDEX convictions_conviction_date ON convictions(conviction_date);
-- The review queue's broad filters, in id order without a sort (partial: small, index-only).
CREATE INDEX convictions_queue_cannabis ON convictions(id)
    WHERE outcome_in_force IS NOT NULL AND outcome_in_force != 'not_applicable';
CREATE INDEX convictions_queue_relief ON convictions(id) WHERE outcome_in_force
    IN ('dismiss_and_seal', 'redesignate_misdemeanor', 'redesignate_infraction');
CREATE INDEX convictions_prosecutor ON convictions(prosecutor_outcome)
    WHERE prosecutor_outcome IS NOT NULL;

-- One evaluation run: what policy, which version of the rules, as of when, by whom.
CREATE TABLE eval_runs (
    id INTEGER PRIMARY KEY,
    rule_set_version TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    policy_hash TEXT NOT NULL,
    policy_text TEXT NOT NULL,
    as_of TEXT NOT NULL,
    county TEXT,
    operator TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    counts TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE determinations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES eval_runs(id),
    conviction_id INTEGER NOT NULL REFERENCES convictions(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    remedy TEXT,
    reasons TEXT NOT NULL DEFAULT '[]',   -- JSON list of {code, text, citation, kind}
    authority TEXT NOT NULL DEFAULT ''    -- the decisive citations joined '; '
    -- the decisive texts joined '; ' live on convictions.reason_summary (the queue's column)
);
-- Nothing looks a run's rows up by run alone, so no run_id index to keep up in a run.
CREATE INDEX determinations_conviction ON determinations(conviction_id, run_id);

-- Every decision a clerk makes; the conviction points at the one in force.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    conviction_id INTEGER NOT NULL REFERENCES convictions(id) ON DELETE CASCADE,
    determination_id INTEGER REFERENCES determinations(id),
    status TEXT NOT NULL,                 -- pending | approved | denied | deferred
    decided_outcome TEXT,                 -- the outcome approved (may override the engine's)
    overridden INTEGER NOT NULL DEFAULT 0,
    clerk TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    note TEXT,
    batch_id TEXT,                        -- one id per decision act, so Undo takes the whole act
    previous_review_id INTEGER REFERENCES reviews(id),
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reviews_conviction ON reviews(conviction_id);
CREATE INDEX reviews_batch ON reviews(batch_id);

-- Append-only; each entry's hash covers the previous one, so an edit breaks the chain.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id INTEGER,
    case_number TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_case ON audit_log(case_number);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                   -- single | bulk
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    template TEXT,
    conviction_count INTEGER NOT NULL DEFAULT 0,
    reprint INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    conviction_id INTEGER NOT NULL REFERENCES convictions(id) ON DELETE CASCADE,
    PRIMARY KEY (order_id, conviction_id)
);
CREATE INDEX order_items_conviction ON order_items(conviction_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                   -- JSON
);

-- Name search for the queue's search box.
CREATE VIRTUAL TABLE people_fts USING fts5(name, content='people', content_rowid='id');
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_fts(people_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF name ON people BEGIN
    INSERT INTO people_fts(people_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO people_fts(rowid, name) VALUES (new.id, new.name);
END;
"""

# A run decides the convictions within its scope (the court's county, the cannabis sections)
# one by one. Every other conviction's determination depends on nothing but its county and
# section, and is not_applicable: the run writes it once per distinct (county, section) as a
# shared determination instead of once per conviction, and leaves that conviction's own
# determination_id/outcome NULL. `last_conviction_id` says which convictions a run saw, so a
# conviction imported after the run reads as not evaluated rather than not applicable.
SCHEMA_2 = """
ALTER TABLE eval_runs ADD COLUMN last_conviction_id INTEGER;
CREATE TABLE shared_determinations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES eval_runs(id),
    county TEXT,
    section_code TEXT,
    section_number TEXT,
    section_subs TEXT,
    attempted INTEGER,
    conspiracy INTEGER,
    outcome TEXT NOT NULL,
    remedy TEXT,
    reasons TEXT NOT NULL DEFAULT '[]',
    authority TEXT NOT NULL DEFAULT '',
    reason_summary TEXT
);
CREATE INDEX shared_determinations_key ON shared_determinations (run_id, section_number,
    section_code, county, section_subs, attempted, conspiracy);
"""

# Every order printed carries an order number from the court's pattern (settings
# `orders.number_pattern`), printed on each of its pages. `order_series` is the pattern with
# all but the sequence filled in ("2026-P64-{seq}") and `order_seq` the sequence within it,
# so the next number is one query away. Orders printed before this have no number (NULL):
# their paper carries none, and none is invented for them.
SCHEMA_3 = """
ALTER TABLE orders ADD COLUMN order_number TEXT;
ALTER TABLE orders ADD COLUMN order_series TEXT;
ALTER TABLE orders ADD COLUMN order_seq INTEGER;
CREATE UNIQUE INDEX orders_number ON orders(order_number);
CREATE INDEX orders_series ON orders(order_series, order_seq);
"""

# Closing the record (issue 17): the update files written for the DOJ and the court's case
# system, with each count they reported (so a count is not reported twice unless asked), and
# the judge's signature on an order (its date starts the DOJ reporting deadline). A later
# signature record corrects an earlier one; both stay.
SCHEMA_4 = """
CREATE TABLE update_files (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                   -- doj | cms
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    layout TEXT NOT NULL,                 -- the layout's name and version
    row_count INTEGER NOT NULL DEFAULT 0,
    since TEXT,
    include_all INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE update_items (
    file_id INTEGER NOT NULL REFERENCES update_files(id) ON DELETE CASCADE,
    conviction_id INTEGER NOT NULL REFERENCES convictions(id) ON DELETE CASCADE,
    order_id INTEGER REFERENCES orders(id),
    outcome TEXT NOT NULL,                -- the approved outcome reported
    PRIMARY KEY (file_id, conviction_id)
);
CREATE INDEX update_items_conviction ON update_items(conviction_id);
CREATE INDEX update_items_order ON update_items(order_id);
CREATE TABLE order_signatures (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    signed_on TEXT NOT NULL,              -- ISO date the judge signed
    judge TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX order_signatures_order ON order_signatures(order_id);
"""

# Files written in bulk (clerkapp.files.outputs): a run is recorded before its first temporary
# file, each file as pending in the transaction that records what it stands for, then complete
# once moved into place; a crash leaves rows that say what to finish or clean.
SCHEMA_5 = """
CREATE TABLE output_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                   -- order.single | order.bulk | export | ...
    folder TEXT NOT NULL,
    token TEXT NOT NULL,                  -- names the run's temporary files and lock file
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running' -- running | complete | abandoned | recovered
);
CREATE INDEX output_runs_running ON output_runs(status) WHERE status = 'running';
CREATE TABLE output_files (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES output_runs(id),
    kind TEXT NOT NULL,
    path TEXT NOT NULL,                   -- final path
    temp_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', -- pending | complete
    recorded_at TEXT NOT NULL
);
CREATE INDEX output_files_run ON output_files(run_id, status);
"""

# What the clerk says of a whole file at import (issue 14): its county and court where the
# rows do not give them, what kind of list it is (the court's own records, a prosecutor's
# list, the DOJ's: an order's recitals depend on it) and the prosecuting agency; the rows the
# import left out as not records (JSON: reason -> count), notes left on rows, counts kept as
# history; and a withdrawal (the import's convictions leave the queue, exports and orders,
# its rows and the decisions made on them stay on record). A correction is a fact the record
# lacks (a name, a case number) entered by a clerk: the source row is never changed.
SCHEMA_6 = """
ALTER TABLE imports ADD COLUMN county TEXT;
ALTER TABLE imports ADD COLUMN court TEXT;
ALTER TABLE imports ADD COLUMN source_kind TEXT;
ALTER TABLE imports ADD COLUMN prosecutor TEXT;
ALTER TABLE imports ADD COLUMN skipped TEXT NOT NULL DEFAULT '{}';
ALTER TABLE imports ADD COLUMN note_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN history_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN withdrawn_at TEXT;
ALTER TABLE imports ADD COLUMN withdrawn_by TEXT;
ALTER TABLE imports ADD COLUMN withdraw_reason TEXT;
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    conviction_id INTEGER NOT NULL REFERENCES convictions(id) ON DELETE CASCADE,
    field TEXT NOT NULL,                  -- name | case_number
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    clerk TEXT NOT NULL,
    made_at TEXT NOT NULL
);
CREATE INDEX corrections_conviction ON corrections(conviction_id);
"""

# Reconciliation of the DOJ list with the court's records (clerkapp.reconcile): one row per
# conviction of either side, or per linked pair. `merged_id` is the conviction of a linked pair
# that the queue, counts, exports and orders leave out (base.COUNTED), so one conviction on
# both lists is one conviction everywhere. The clerk's confirmations and rejections of
# possible matches are kept apart, by pair, so a rerun honours them.
SCHEMA_RECONCILE = """
CREATE TABLE reconcile_runs (
    id INTEGER PRIMARY KEY,
    doj_imports TEXT NOT NULL DEFAULT '[]',
    court_imports TEXT NOT NULL DEFAULT '[]',
    operator TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE reconcile_links (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES reconcile_runs(id),
    doj_id INTEGER REFERENCES convictions(id) ON DELETE CASCADE,
    court_id INTEGER REFERENCES convictions(id) ON DELETE CASCADE,
    status TEXT NOT NULL,   -- matched | possible_match | conflict | court_only | doj_only | unmatched
    match_key TEXT,         -- cii | ssn | cdl | name_dob | case_number
    score REAL,
    note TEXT,
    merged_id INTEGER       -- the pair's conviction counted as the other (NULL: none)
);
CREATE INDEX reconcile_links_doj ON reconcile_links(doj_id);
CREATE INDEX reconcile_links_court ON reconcile_links(court_id);
CREATE INDEX reconcile_links_status ON reconcile_links(status);
CREATE UNIQUE INDEX reconcile_links_merged ON reconcile_links(merged_id)
    WHERE merged_id IS NOT NULL;
CREATE TABLE reconcile_decisions (
    id INTEGER PRIMARY KEY,
    doj_id INTEGER NOT NULL,
    court_id INTEGER NOT NULL,
    decision TEXT NOT NULL,  -- confirmed | rejected
    clerk TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    note TEXT,
    link TEXT NOT NULL DEFAULT '{}',  -- JSON: the possible match as it was, for Undo
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reconcile_decisions_pair ON reconcile_decisions(doj_id, court_id);
"""

# The person relieved (issue 18): the mailing address a court export may carry, and the record
# of every notice printed to a person (which convictions, in which language, when, by whom), so
# nobody is sent the same notice twice unless the clerk asks.
SCHEMA_NOTICES = """
ALTER TABLE people ADD COLUMN address TEXT;
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    language TEXT NOT NULL,               -- en | es
    path TEXT NOT NULL,                   -- the file (a combined file is shared by its people)
    sha256 TEXT NOT NULL,
    template TEXT NOT NULL,               -- name and version
    mailed INTEGER NOT NULL DEFAULT 0,    -- 1: addressed to the person; 0: for the counter
    combined INTEGER NOT NULL DEFAULT 0,
    again INTEGER NOT NULL DEFAULT 0,     -- printed again on request
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notices_person ON notices(person_id);
CREATE TABLE notice_items (
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    conviction_id INTEGER NOT NULL REFERENCES convictions(id) ON DELETE CASCADE,
    PRIMARY KEY (notice_id, conviction_id)
);
CREATE INDEX notice_items_conviction ON notice_items(conviction_id);
"""

# Decisions bound to the audit chain (clerkapp.integrity): every store gets an id its anchor
# file outside the store remembers (a restored backup is told apart from a tampered store),
# and a review's or order's audit entries are found by entity without scanning the log.
SCHEMA_INTEGRITY = """
INSERT OR IGNORE INTO settings (key, value) VALUES ('store.uid', json_quote(lower(hex(randomblob(16)))));
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
"""

# An update file the DOJ (or the case system) never took is voided, with who, when and why:
# its counts are to be reported again; the file's record and its rows stay.
SCHEMA_UPDATE_VOID = """
ALTER TABLE update_files ADD COLUMN voided_at TEXT;
ALTER TABLE update_files ADD COLUMN voided_by TEXT;
ALTER TABLE update_files ADD COLUMN void_reason TEXT;
"""

# the close-out stage kept for the queue's filters and counts (issue 15 follow-up: speed)
SCHEMA_CLOSEOUT_STAGE = closeout_stage_sql()

# Several clerks on one store: "Next pending" claims the conviction it shows, so no two
# clerks are handed the same one; a claim expires unless its window renews it (store/claims.py)
SCHEMA_CLAIMS = """
CREATE TABLE claims (
    conviction_id INTEGER PRIMARY KEY REFERENCES convictions(id) ON DELETE CASCADE,
    holder TEXT NOT NULL,                 -- one window or process (a random token)
    clerk TEXT NOT NULL,                  -- who, as the other clerks are told
    claimed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX claims_holder ON claims(holder);
CREATE INDEX claims_expires ON claims(expires_at);
"""

# Who did it, from the database (issue 19): on a shared PostgreSQL store an audit entry is
# recorded under the login that wrote it (clerkapp/store/pg/roles.py). SQLite has no logins:
# nothing to do there.
SCHEMA_LOGIN_ACTOR = "SELECT 'postgresql:login_actor';"

# An import finishing no longer recomputes the close-out stage of every conviction it wrote
# (none has one yet): only withdrawing an import, or taking a withdrawal back, does (issue 15)
SCHEMA_CLOSEOUT_IMPORT = import_trigger_sql()

# A conviction is ordered once (docs/closing.md): an order printed with --supersede names, per
# conviction, the order it replaces, which is then no longer the order in force; an update
# file's row says whether it reports, corrects an earlier report, or withdraws a relief
# reported before, and names the order it replaces. The kept stage's triggers are made again
# with these rules (closeout_state.closeout_rules_sql).
SCHEMA_SUPERSEDE = """
ALTER TABLE order_items ADD COLUMN supersedes_order_id INTEGER;
ALTER TABLE update_items ADD COLUMN action TEXT NOT NULL DEFAULT 'report';
ALTER TABLE update_items ADD COLUMN previous_order_id INTEGER;
""" + closeout_rules_sql()

# The county a reconciliation kept, and how many convictions of other counties it left out
SCHEMA_RECONCILE_COUNTY = """
ALTER TABLE reconcile_runs ADD COLUMN county TEXT;
ALTER TABLE reconcile_runs ADD COLUMN left_out TEXT NOT NULL DEFAULT '{}';
"""

# Which orders a later order vacated, and for which convictions (the history, the judge's final
# report, the verification of a confirmation's code): few rows, so a partial index
SCHEMA_SUPERSEDED_INDEX = """
CREATE INDEX IF NOT EXISTS order_items_supersedes ON order_items(supersedes_order_id)
    WHERE supersedes_order_id IS NOT NULL;
"""

# The review queue on a shared store (issue 15): PostgreSQL's indexes hold no row id, as
# SQLite's do, so its queue filters read the table; its own carry the id and the outcome
# (clerkapp/store/pg/queue_indexes.py). SQLite has nothing to do.
SCHEMA_PG_QUEUE = "SELECT 'postgresql:queue_indexes';"

# The name search keeps no length of each name (issue 15): FTS5 stores every row's token count
# for ranking by relevance (bm25), which the queue's search never asks for (it matches words,
# clerkapp/store/base.py name_search_clause); writing those counts was most of the time a large
# import spent building the search (0.37 s of CPU for 118,752 people). Rebuilt from `people`;
# PostgreSQL searches with its trigram index and has nothing to do.
SCHEMA_NAME_SEARCH = """
DROP TABLE IF EXISTS people_fts;
CREATE VIRTUAL TABLE people_fts USING fts5(name, content='people', content_rowid='id',
    columnsize=0);
INSERT INTO people_fts(people_fts) VALUES ('rebuild');
"""

# No index of the verbatim rows by person (issue 15): nothing looks them up that way (a
# conviction names its rows by id, an import's rows are found by import and row number) and no
# person is ever deleted, so the index only cost every import a pass over the whole table
# (0.27 s of CPU at the end of a million-row import, when nothing else runs) and 1M entries.
SCHEMA_SOURCE_ROWS_PERSON = """
DROP INDEX IF EXISTS source_rows_person;
"""

# A plain file's verbatim rows are kept as their cells joined by U+001F, not as JSON lists
# (issue 15; clerkapp/store/row_text.py reads both). Nothing in the tables changes: the number
# is what an older clerkapp, which reads only JSON, sees and refuses the store by.
SCHEMA_ROW_TEXT = """
SELECT 'verbatim rows are JSON lists or cells joined by U+001F';
"""

MIGRATIONS: list[str] = [SCHEMA_1, SCHEMA_2, SCHEMA_3, SCHEMA_4, SCHEMA_5, SCHEMA_6,
                         SCHEMA_RECONCILE, SCHEMA_NOTICES, SCHEMA_INTEGRITY, SCHEMA_UPDATE_VOID,
                         SCHEMA_CLOSEOUT_STAGE, SCHEMA_CLAIMS, SCHEMA_LOGIN_ACTOR,
                         SCHEMA_CLOSEOUT_IMPORT, SCHEMA_SUPERSEDE, SCHEMA_RECONCILE_COUNTY,
                         SCHEMA_SUPERSEDED_INDEX, SCHEMA_PG_QUEUE, SCHEMA_NAME_SEARCH,
                         SCHEMA_SOURCE_ROWS_PERSON, SCHEMA_ROW_TEXT]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date; returns the schema version now in force. A store written
    by a newer clerkapp is refused (StoreTooNew) before anything is written to it."""
    return migrate_from(conn)[1]


def migrate_from(conn: sqlite3.Connection) -> tuple[int, int]:
    """`migrate`, returning (the version found, the version now): 0 found is a store created
    now, from an empty file (a file holding anything else fails the first migration)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    refuse_newer(version)
    for number, script in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        conn.execute("BEGIN")
        try:
            for statement in statements_of(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version, len(MIGRATIONS)


def refuse_newer(version: int, where: str | None = None) -> None:
    """StoreTooNew when a store's schema `version` is beyond the migrations this clerkapp
    has (both engines ask this before migrating)."""
    if version > len(MIGRATIONS):
        raise StoreTooNew(version, len(MIGRATIONS), file=where)


def statements_of(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
