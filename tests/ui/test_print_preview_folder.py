"""A print preview is a court order with a person's name and date of birth: it is written in a
folder of this process's own, readable by the user only, never a fixed shared one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from clerkapp.ui.dialogs.print_preview import preview_folder


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_preview_folder_is_private_and_not_shared():
    folder = preview_folder()
    assert folder == preview_folder()  # one per process
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder != Path(tempfile.gettempdir()) / "clerkapp-preview"
    assert folder.name.startswith("clerkapp-preview-")
