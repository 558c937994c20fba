"""The fonts orders are printed in: DejaVu (free licence in resources/fonts), embedded in every
PDF so the text is selectable and searchable and prints the same on every machine."""

from __future__ import annotations

import threading

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clerkapp.paths import RESOURCES_DIR

FONTS_DIR = RESOURCES_DIR / "fonts"

# name used in the renderers -> file in resources/fonts
FONT_FILES: dict[str, str] = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Sans": "DejaVuSansCondensed.ttf",
    "Sans-Bold": "DejaVuSansCondensed-Bold.ttf",
}

SERIF = "Serif"
SERIF_BOLD = "Serif-Bold"
SERIF_ITALIC = "Serif-Italic"
SANS = "Sans"
SANS_BOLD = "Sans-Bold"

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the TTFs with reportlab once per process (idempotent, thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # Compressed page streams stay binary: ASCII85 on top costs a third of a 1,500-page
        # exhibit's time and only helps 7-bit mail transports nobody uses for PDFs now.
        rl_config.useA85 = 0
        for name, file_name in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file_name)))
        _registered = True
