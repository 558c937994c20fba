"""A throwaway PostgreSQL cluster for the tests and benchmarks: Debian's server binaries, a
data folder in a temporary directory, listening only on a Unix socket there, run as an
unprivileged user (PostgreSQL refuses to run as root), stopped when the run ends.

Used by `tests/conftest.py` (fixture `pg_server`) and by `bench/` (run this file to get a
server for manual work: `python tests/pgcluster.py` prints its URL and waits).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "clerkapp_test"
PREFIX = "clerkapp-pg-"
OWNER_FILE = "owner.pid"  # the process that started the cluster (the test or bench run)
ORPHAN_AGE_S = 3600  # a folder from before owner files, untouched this long, is left over


def server_bin_dir() -> Path | None:
    """Where initdb/pg_ctl live: $PG_BIN, Debian's newest /usr/lib/postgresql/N/bin, or PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PgCluster:
    folder: Path
    bin_dir: Path
    run_as: str | None  # the unprivileged user the server runs as, when we are root

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket_dir}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            cmd = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}",
                   "--clear-groups", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True,
                              env={**os.environ, "LC_ALL": "C"})

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop",
                  check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, the server runs as `nobody`."""
    return "nobody" if os.geteuid() == 0 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def sweep_left_over(bin_dir: Path, temp_dir: Path | None = None) -> list[Path]:
    """Stop and remove clusters whose run ended without stopping them (a killed test run, a
    timed-out CI job): each holds a gigabyte or more, and they pile up in the temporary
    directory. A cluster whose owner is alive is never touched. Returns what was removed."""
    removed = []
    for folder in Path(temp_dir or tempfile.gettempdir()).glob(PREFIX + "*"):
        owner = _pid_in(folder / OWNER_FILE)
        if owner is not None:
            if _alive(owner):
                continue
        else:  # from before owner files: left over when old and its server is gone
            server = _pid_in(folder / "data" / "postmaster.pid")
            try:
                age = time.time() - folder.stat().st_mtime
            except OSError:
                continue
            if age < ORPHAN_AGE_S or (server is not None and _alive(server)):
                continue
        if (folder / "data" / "postmaster.pid").exists():
            PgCluster(folder, bin_dir, _server_user()).stop()  # stops it, then removes it
        else:
            shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def start_cluster() -> PgCluster:
    """initdb + start; raises RuntimeError naming what is missing or what failed."""
    bin_dir = server_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed:"
                           " `apt-get install postgresql`, or set PG_BIN")
    sweep_left_over(bin_dir)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    (folder / OWNER_FILE).write_text(f"{os.getpid()}\n")
    run_as = _server_user()
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    cluster = PgCluster(folder, bin_dir, run_as)
    (folder / "socket").mkdir()
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(folder / "socket", entry.pw_uid, entry.pw_gid)
    try:
        cluster._run("initdb", "-D", str(folder / "data"), "-U", SUPERUSER, "-A", "trust",
                     "-E", "UTF8", "--locale=C", "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{folder / 'socket'}'"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   " -c max_connections=200 -c shared_buffers=128MB")
        cluster._run("pg_ctl", "-D", str(folder / "data"), "-o", options,
                     "-l", str(folder / "server.log"), "-w", "start")
    except subprocess.CalledProcessError as exc:
        log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr.strip()} {log[-500:]}") from None
    return cluster


if __name__ == "__main__":
    c = start_cluster()
    print(c.url(), flush=True)
    try:
        input("PostgreSQL is running; press Enter to stop it\n")
    finally:
        c.stop()
