"""Preview of an order for the print dialog: the first order rendered to a temporary PDF, its
first page turned into an image with poppler's `pdftoppm` (PySide6-Essentials has no QtPdf).
Without pdftoppm the PDF itself is opened in the system viewer instead."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from PySide6.QtGui import QPixmap

PREVIEW_DPI = 70


@cache
def preview_folder() -> Path:
    """A folder for previews, this process's own: readable by the user only (a preview is a
    court order with a person's name and date of birth) and removed when the app quits."""
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-preview-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def rasterize(pdf: Path, dpi: int = PREVIEW_DPI) -> QPixmap | None:
    """Page 1 of `pdf` as a pixmap at `dpi` (a letter page is 8.5 inches wide), or None when
    pdftoppm is missing or fails."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    prefix = pdf.with_suffix("")
    try:
        subprocess.run([tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(prefix)], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    image = prefix.with_suffix(".png")
    pixmap = QPixmap(str(image))
    image.unlink(missing_ok=True)
    return None if pixmap.isNull() else pixmap
