"""The temp-name / record / move-into-place protocol of clerkapp.files.outputs, on real files
and a real store."""

from __future__ import annotations

import hashlib
import stat
import sys

import pytest

from clerkapp.errors import BadInput
from clerkapp.files.check import check_recorded_files
from clerkapp.files.outputs import OutputBatch, recover_outputs


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_commit_records_moves_and_completes(store, tmp_path):
    out = tmp_path / "new" / "out"
    with OutputBatch(store, "notice", out) as batch:
        a = batch.write_bytes("a.txt", b"alpha")
        b = batch.write_bytes("a.txt", b"beta")  # same name in one run: a second name
        assert _files(out)[0].startswith(".clerkapp-") and "a.txt" not in _files(out)
        seen = batch.commit(lambda files: [f.final.name for f in files])
    assert seen == ["a.txt", "a_2.txt"]
    assert _files(out) == ["a.txt", "a_2.txt"]  # no temporary or lock file left
    rows = store.conn.execute(
        "SELECT path, sha256, size, status FROM output_files ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        (str(a.final), hashlib.sha256(b"alpha").hexdigest(), 5, "complete"),
        (str(b.final), hashlib.sha256(b"beta").hexdigest(), 4, "complete")]
    assert store.conn.execute("SELECT status FROM output_runs").fetchone()[0] == "complete"
    assert check_recorded_files(store) == []
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o700
        assert stat.S_IMODE((out / "a.txt").stat().st_mode) == 0o600


def test_a_failure_before_commit_leaves_nothing(store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RuntimeError), OutputBatch(store, "notice", out) as batch:
        batch.write_bytes("a.txt", b"alpha")
        raise RuntimeError("renderer failed")
    assert _files(out) == []
    assert store.conn.execute("SELECT count(*) FROM output_files").fetchone()[0] == 0
    assert store.conn.execute("SELECT status FROM output_runs").fetchone()[0] == "abandoned"


def test_a_failing_record_rolls_back_and_removes_the_files(store, tmp_path):
    out = tmp_path / "out"

    def record(_files):
        store.audit("t", "x")
        raise BadInput("refused")

    with pytest.raises(BadInput), OutputBatch(store, "notice", out) as batch:
        batch.write_bytes("a.txt", b"alpha")
        batch.commit(record)
    assert _files(out) == []
    assert store.table_counts()["audit_log"] == 0


def test_stage_gives_a_path_and_overwrite_keeps_the_name(store, tmp_path):
    (tmp_path / "export.csv").write_text("old")
    with OutputBatch(store, "export", tmp_path) as batch:
        staged = batch.stage("export.csv", overwrite=True)
        staged.temp.write_text("new")
        batch.commit()
    assert (tmp_path / "export.csv").read_text() == "new"
    assert store.conn.execute("SELECT sha256 FROM output_files").fetchone()[0] == \
        hashlib.sha256(b"new").hexdigest()


def _crash_state(store, out):
    """What a process killed between the steps leaves: a batch that never finishes."""
    batch = OutputBatch(store, "notice", out).__enter__()
    batch.write_bytes("a.txt", b"alpha")
    batch.write_bytes("b.txt", b"beta")
    batch._lock.release(remove=False)  # the OS drops a dead process's lock
    return batch


def test_recovery_deletes_unrecorded_temp_files_and_says_so(store, tmp_path):
    out = tmp_path / "out"
    _crash_state(store, out)
    found = recover_outputs(store)
    assert (found.removed, found.completed) == (2, 0)
    assert found.lines() == ["removed 2 unfinished file(s) an interrupted earlier run left"
                             " (nothing was recorded for them)"]
    assert not list(out.glob("*.part"))
    assert recover_outputs(store).lines() == []  # once only


def test_recovery_moves_recorded_files_into_place(store, tmp_path):
    out = tmp_path / "out"
    batch = _crash_state(store, out)
    with store.atomic():  # the commit's transaction landed; the process died before renaming
        store.add_output_files(batch._run_id, "notice", [
            (str(f.final), str(f.temp), f.sha256, f.size) for f in batch.files])
    batch.files[0].temp.replace(batch.files[0].final)  # one rename happened
    found = recover_outputs(store)
    assert (found.removed, found.completed, found.missing) == (0, 1, [])
    assert _files(out) == ["a.txt", "b.txt"]
    assert (out / "b.txt").read_bytes() == b"beta"
    assert check_recorded_files(store) == []


def test_a_live_run_is_left_alone(store, tmp_path):
    out = tmp_path / "out"
    with OutputBatch(store, "notice", out) as batch:
        batch.write_bytes("a.txt", b"alpha")
        assert recover_outputs(store).lines() == []  # its lock is held: not a crash
        assert any(n.endswith(".part") for n in _files(out))
        batch.commit()
    assert _files(out) == ["a.txt"]


def test_check_names_missing_and_changed_files(store, tmp_path):
    with OutputBatch(store, "notice", tmp_path / "o") as batch:
        batch.write_bytes("a.txt", b"alpha")
        batch.write_bytes("b.txt", b"beta")
        batch.commit()
    (tmp_path / "o" / "a.txt").unlink()
    (tmp_path / "o" / "b.txt").write_bytes(b"BETA")
    problems = check_recorded_files(store)
    assert len(problems) == 2
    assert "recorded but its file is missing" in problems[0] and "a.txt" in problems[0]
    assert "changed after it was written" in problems[1]
