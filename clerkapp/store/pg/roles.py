"""Who did it, from the database: on a shared store an audit entry's actor is the login that
wrote it, whatever name the program (or a clerk at a psql prompt) gave.

The store already writes its login (`StoreBase.actor`); this trigger makes the database hold
to it for the court's roles (`resources/sql/roles.sql`): an entry a member of clerkapp_clerk
or clerkapp_reader inserts under another name is stored under their own login, its hash
computed again over what is stored (`audit._entry_hash`, in SQL), so the chain still holds
and names the right person. The owner (clerkapp_admin, a superuser: migrations, tests,
restores) writes what it writes. The log only grows for the clerks: the append-only triggers
of SCHEMA_1 and, once the groups exist, no UPDATE or DELETE right on it.
"""

from __future__ import annotations

CLERK_GROUP = "clerkapp_clerk"
READER_GROUP = "clerkapp_reader"

# the hash of audit._entry_hash, over the row as stored (concat_ws skips NULLs: none here)
_ENTRY_HASH = (
    "encode(sha256(convert_to(concat_ws(chr(31), NEW.prev_hash, NEW.at, NEW.actor, NEW.action,"
    " coalesce(NEW.entity, ''), CASE WHEN coalesce(NEW.entity_id, 0) = 0 THEN ''"
    " ELSE NEW.entity_id::text END, coalesce(NEW.case_number, ''), NEW.details), 'UTF8')),"
    " 'hex')")

LOGIN_ACTOR = [
    f"""CREATE OR REPLACE FUNCTION audit_log_login_actor_fn() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.actor IS DISTINCT FROM session_user::text
     AND NOT EXISTS (SELECT FROM pg_roles WHERE rolname = session_user AND rolsuper)
     AND EXISTS (SELECT FROM pg_roles g WHERE g.rolname IN ('{CLERK_GROUP}', '{READER_GROUP}')
                 AND pg_has_role(session_user, g.oid, 'MEMBER')) THEN
    NEW.actor := session_user::text;
    NEW.hash := {_ENTRY_HASH};
  END IF;
  RETURN NEW;
END $fn$""",
    "DROP TRIGGER IF EXISTS audit_log_login_actor ON audit_log",
    "CREATE TRIGGER audit_log_login_actor BEFORE INSERT ON audit_log FOR EACH ROW"
    " EXECUTE FUNCTION audit_log_login_actor_fn()",
    # roles.sql ran before the first opening: the log it could not see yet only grows too,
    # and only the owner moves the schema version (a clerk's login never half-upgrades)
    f"""DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{CLERK_GROUP}') THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {CLERK_GROUP};
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON clerkapp_schema FROM {CLERK_GROUP};
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_GROUP}') THEN
    GRANT INSERT ON audit_log TO {READER_GROUP};
  END IF;
END $$""",
]

# migrations that only PostgreSQL needs: SQLite's script is `SELECT 'postgresql:<name>';`
ONLY_POSTGRES = {"login_actor": LOGIN_ACTOR}
