"""`clerkapp --self-test`: passes on the real tree, and names what is missing when it fails.

Each run is a real subprocess (`python -m clerkapp --self-test -platform offscreen`), as the
packaging scripts run it, with CLERKAPP_RESOURCES / CLERKAPP_FORMS pointing at a damaged copy
of the bundled tree where a test needs one, and the user data folder moved into tmp_path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clerkapp import selftest
from clerkapp.cli.main import split_qt_args

REPO = Path(__file__).resolve().parent.parent


def run_self_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLERKAPP_")}
    full_env.update(XDG_DATA_HOME=str(tmp_path / "userdata"), QT_QPA_PLATFORM="offscreen", **env)
    return subprocess.run(
        [sys.executable, "-m", "clerkapp", "--self-test", "-platform", "offscreen"],
        cwd=tmp_path, env=full_env, capture_output=True, text=True, timeout=300,
    )


def log_lines(tmp_path: Path) -> list[str]:
    log = tmp_path / "userdata" / "clerkapp" / "logs" / "selftest.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.fixture
def resources_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "resources"
    shutil.copytree(REPO / "resources", dest)
    return dest


@pytest.fixture
def forms_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "forms"
    shutil.copytree(REPO / "forms", dest)
    return dest


def test_self_test_passes_on_the_real_tree(tmp_path):
    result = run_self_test(tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "self-test PASS" in lines[0]
    for fact in ("fonts", "templates", "imported", "evaluated", "order PDF", "window ok"):
        assert fact in lines[0]
    assert log_lines(tmp_path)[-1].endswith(lines[0])


def test_missing_font_fails_naming_the_font_file(tmp_path, resources_copy):
    (resources_copy / "fonts" / "DejaVuSerif-Bold.ttf").unlink()
    result = run_self_test(tmp_path, CLERKAPP_RESOURCES=str(resources_copy))
    assert result.returncode == 1
    assert "self-test FAIL at fonts" in result.stderr
    assert "DejaVuSerif-Bold.ttf" in result.stderr
    assert "Traceback" not in result.stderr
    assert "FAIL at fonts" in log_lines(tmp_path)[-1]


def test_corrupt_font_fails_as_not_loading(tmp_path, resources_copy):
    (resources_copy / "fonts" / "DejaVuSansCondensed.ttf").write_bytes(b"not a font")
    result = run_self_test(tmp_path, CLERKAPP_RESOURCES=str(resources_copy))
    assert result.returncode == 1
    assert "FAIL at fonts" in result.stderr
    assert "DejaVuSansCondensed.ttf" in result.stderr and "does not load" in result.stderr


def test_missing_font_licence_fails(tmp_path, resources_copy):
    for licence in (resources_copy / "fonts").glob("LICEN*"):
        licence.unlink()
    result = run_self_test(tmp_path, CLERKAPP_RESOURCES=str(resources_copy))
    assert result.returncode == 1
    assert "FAIL at fonts: no font licence file" in result.stderr


def test_missing_template_fails_naming_the_template_file(tmp_path, forms_copy):
    (forms_copy / "per-case-order.toml").unlink()
    result = run_self_test(tmp_path, CLERKAPP_FORMS=str(forms_copy))
    assert result.returncode == 1
    assert "self-test FAIL at templates" in result.stderr
    assert "per-case-order.toml" in result.stderr and "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_template_fails_naming_the_template_file(tmp_path, forms_copy):
    path = forms_copy / "per-case-order.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[[[ not toml\n", encoding="utf-8")
    result = run_self_test(tmp_path, CLERKAPP_FORMS=str(forms_copy))
    assert result.returncode == 1
    assert "FAIL at templates" in result.stderr and "per-case-order.toml" in result.stderr


def test_missing_sample_data_fails(tmp_path, resources_copy):
    shutil.rmtree(resources_copy / "sample")
    (resources_copy / "sample").mkdir()
    result = run_self_test(tmp_path, CLERKAPP_RESOURCES=str(resources_copy))
    assert result.returncode == 1
    assert "FAIL at import: no sample data in" in result.stderr


def test_a_missing_service_module_is_reported_as_not_available():
    with pytest.raises(selftest.StepFailed, match=r"not available: clerkapp\.nowhere"):
        selftest._need("clerkapp.nowhere", "run")
    with pytest.raises(selftest.StepFailed, match=r"not available: clerkapp\.paths\.nothing"):
        selftest._need("clerkapp.paths", "nothing")


def test_an_unexpected_error_names_the_step_and_the_place(monkeypatch, tmp_path):
    def explode(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "userdata"))
    monkeypatch.setattr(selftest, "STEPS", [("fonts", selftest.check_fonts), ("boom", explode)])
    failed, detail = selftest.run_steps([])
    assert failed == "boom"
    assert detail.startswith("ZeroDivisionError at test_selftest.py:")
    assert selftest.run_self_test([]) == 1
    assert "FAIL at boom" in log_lines(tmp_path)[-1]


def test_qt_value_options_are_kept_out_of_the_command_line():
    ours, qt = split_qt_args(["--self-test", "-platform", "offscreen", "--db", "x.db"])
    assert ours == ["--self-test", "--db", "x.db"]
    assert qt == ["-platform", "offscreen"]
