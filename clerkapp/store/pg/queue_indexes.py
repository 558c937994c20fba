"""The review queue's indexes on PostgreSQL, made to answer a filter from the index alone.

A SQLite index holds each row's id (its rowid) beside the key, so the queue's filters (an
outcome, a county, a section, the prosecutor's disagreement, a name's convictions) list their
ids from the index without reading the table. A PostgreSQL index holds a pointer to the row,
not its id: the same filters read every matching row of `convictions` (a million rows, over
200 MB: more than the server's default cache) to learn its id and outcome, 300 to 900 ms each
(bench/bench_queue.py). These indexes, under the same names, carry the id and the outcome in
force (and what each filter tests besides) as included columns, so PostgreSQL answers them
from the index alone too. Index-only reads need the table's visibility map, which autovacuum
keeps; a row changed since is read from the table, as before.
"""

from __future__ import annotations

QUEUE_INDEXES = [
    # an outcome filter ("Needs review", "Not applicable", ...) and the counts by outcome
    "DROP INDEX IF EXISTS convictions_outcome",
    "CREATE INDEX convictions_outcome ON convictions (outcome_in_force, review_status)"
    " INCLUDE (id)",
    # a section filter, within the outcome filter in force
    "DROP INDEX IF EXISTS convictions_section",
    "CREATE INDEX convictions_section ON convictions (section_number, code_section)"
    " INCLUDE (id, outcome_in_force)",
    # a county filter (any letter case: the key is lower-case; the column itself is included
    # because PostgreSQL reads an expression index alone only when it holds the column)
    "DROP INDEX IF EXISTS convictions_county",
    "CREATE INDEX convictions_county ON convictions (lower(county))"
    " INCLUDE (county, id, outcome_in_force)",
    # "Prosecutor disagrees": compares with the engine's outcome
    "DROP INDEX IF EXISTS convictions_prosecutor",
    "CREATE INDEX convictions_prosecutor ON convictions (prosecutor_outcome)"
    " INCLUDE (id, outcome, outcome_in_force) WHERE prosecutor_outcome IS NOT NULL",
    # a name search: the convictions of the people it found
    "DROP INDEX IF EXISTS convictions_person",
    "CREATE INDEX convictions_person ON convictions (person_id) INCLUDE (id, outcome_in_force)",
    "ANALYZE convictions",
]
