-- clerkapp: the roles of a court's shared store on PostgreSQL (docs/shared-store.md).
--
-- Court IT runs this once per database, as a PostgreSQL superuser, after creating the
-- database and before the first opening (running it again is harmless):
--
--     psql -v dbname=clerkapp -f roles.sql
--
-- and, to add a clerk's own login (or a look-up-only login) at the same time:
--
--     psql -v dbname=clerkapp -v clerk=jdoe -f roles.sql
--     psql -v dbname=clerkapp -v reader=auditor1 -f roles.sql
--
-- then gives each login a password with `\password jdoe` in psql (never in this file).
--
-- clerkapp_admin   owns the database and everything in it; runs the first opening of each
--                  new clerkapp (the migrations) and the backups. A login.
-- clerkapp_clerk   group of the clerks: read and write the tables; the audit log only grows
--                  (INSERT, never UPDATE or DELETE). Every entry is recorded under the
--                  clerk's own login, whatever name is typed (a trigger in the store).
-- clerkapp_reader  group of look-up-only logins: read everything; add to the audit log
--                  only, because every look-up is audited.
-- One LOGIN role per clerk, member of clerkapp_clerk or clerkapp_reader: the login is the
-- name on every decision, order and audit entry.

\set ON_ERROR_STOP on
\if :{?dbname}
\else
  \echo 'roles.sql: name the database: psql -v dbname=clerkapp -f roles.sql'
  \quit
\endif

-- the roles (cluster-wide): created when missing
SELECT 'CREATE ROLE clerkapp_admin LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clerkapp_admin') \gexec
SELECT 'CREATE ROLE clerkapp_clerk NOLOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clerkapp_clerk') \gexec
SELECT 'CREATE ROLE clerkapp_reader NOLOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clerkapp_reader') \gexec

-- the database: owned by clerkapp_admin, open to the two groups only
ALTER DATABASE :"dbname" OWNER TO clerkapp_admin;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO clerkapp_clerk, clerkapp_reader;

\connect :"dbname"

-- name search (a trusted extension, created here so no clerk needs the right to)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER SCHEMA public OWNER TO clerkapp_admin;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO clerkapp_clerk, clerkapp_reader;

-- a store opened before this ran (by a superuser): its tables and functions pass to
-- clerkapp_admin, so later migrations, run as clerkapp_admin, may change them
DO $$
DECLARE
  item record;
BEGIN
  FOR item IN
    SELECT c.oid::regclass AS name FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
       AND c.relowner <> 'clerkapp_admin'::regrole
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO clerkapp_admin', item.name);
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND p.proowner <> 'clerkapp_admin'::regrole
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO clerkapp_admin', item.name);
  END LOOP;
END $$;

-- the tables there are now...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO clerkapp_clerk;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO clerkapp_clerk;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO clerkapp_reader;
-- ...and those later migrations create (as clerkapp_admin) get the same
ALTER DEFAULT PRIVILEGES FOR ROLE clerkapp_admin IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO clerkapp_clerk;
ALTER DEFAULT PRIVILEGES FOR ROLE clerkapp_admin IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO clerkapp_clerk;
ALTER DEFAULT PRIVILEGES FOR ROLE clerkapp_admin IN SCHEMA public
  GRANT SELECT ON TABLES TO clerkapp_reader;

-- from PostgreSQL 17, a clerk's login may VACUUM and ANALYZE the tables after a large import
-- or evaluation (clerkapp/store/pg/tidy.py: the queue's filters then read their indexes
-- alone at once); before 17 only clerkapp_admin may, and autovacuum does it in its own time
SELECT 'GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO clerkapp_clerk'
 WHERE current_setting('server_version_num')::int >= 170000 \gexec
SELECT 'ALTER DEFAULT PRIVILEGES FOR ROLE clerkapp_admin IN SCHEMA public'
       ' GRANT MAINTAIN ON TABLES TO clerkapp_clerk'
 WHERE current_setting('server_version_num')::int >= 170000 \gexec

-- the audit log only grows, and only clerkapp_admin upgrades the store (its schema
-- version). The store's own migration says the same when it creates them after this ran
-- (clerkapp/store/pg/roles.py); this covers a store that exists already.
DO $$
BEGIN
  IF to_regclass('public.audit_log') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_log FROM clerkapp_clerk;
    GRANT INSERT ON public.audit_log TO clerkapp_reader;
  END IF;
  IF to_regclass('public.clerkapp_schema') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.clerkapp_schema FROM clerkapp_clerk;
  END IF;
END $$;

-- one login per clerk: `-v clerk=NAME` (a clerk) or `-v reader=NAME` (look-ups only)
\if :{?clerk}
SELECT format('CREATE ROLE %I LOGIN', :'clerk')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'clerk') \gexec
GRANT clerkapp_clerk TO :"clerk";
\endif
\if :{?reader}
SELECT format('CREATE ROLE %I LOGIN', :'reader')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'reader') \gexec
GRANT clerkapp_reader TO :"reader";
\endif
