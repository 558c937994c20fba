"""The fonts orders are printed in: DejaVu (free licence in resources/fonts), embedded in every
PDF so the text is selectable and searchable and prints the same on every machine."""

from __future__ import annotations

import threading
from collections.abc import Callable

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
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
# Distinct glyph subsets and widths arrays kept per process: a day's orders embed two or three
MEMO_LIMIT = 256


class _Preformatted(pdfdoc.PDFObject):
    """A PDF value already written out (a font's widths array, the same in every file)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: object) -> bytes:
        return self.data


_widths: dict[tuple[object, ...], _Preformatted] = {}


class EmbeddedFont(TTFont):
    """reportlab's TrueType font, making what every PDF embeds alike once per process.

    reportlab maps the ASCII letters of a font to themselves in its first subset, so nearly
    every order embeds the same glyph subset with the same widths; making the subset (a
    TrueType file) and writing out its widths array for each file again was a third of a
    per-case order's time. The bytes are the same either way."""

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        state = self.state.get(doc)
        names = ([self.getSubsetInternalName(n, doc)[1:] for n in range(len(state.subsets))]
                 if state is not None else [])
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            font = fonts[name]
            key = (self.fontName, *font.Widths.sequence)
            done = _widths.get(key)
            if done is None:
                done = _Preformatted(font.Widths.format(doc))
                if len(_widths) < MEMO_LIMIT:
                    _widths[key] = done
            font.Widths = done


def _remembering(make_subset: Callable[[list[int]], bytes]) -> Callable[[list[int]], bytes]:
    made: dict[tuple[int, ...], bytes] = {}

    def subset_once(subset: list[int]) -> bytes:
        key = tuple(subset)
        data = made.get(key)
        if data is None:
            data = make_subset(subset)
            if len(made) < MEMO_LIMIT:
                made[key] = data
        return data

    return subset_once


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
            font = EmbeddedFont(name, str(FONTS_DIR / file_name))
            font.face.makeSubset = _remembering(font.face.makeSubset)
            pdfmetrics.registerFont(font)
        _registered = True
