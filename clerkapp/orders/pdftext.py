"""Text written straight into a page's content stream as PDF operators, for embedded TTFs.

reportlab's `drawString` builds a text object per call and re-encodes every string; orders draw
tens of thousands of short strings, most of them repeated. Here each distinct string is
encoded once (cached), characters already in the font subset are encoded with a single
`str.translate`, and a page's strings share one BT…ET block.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

CACHE_LIMIT = 50_000


class FontEncoder:
    """Encodes text for one TTF font in one document: (subset, "(…) Tj") chunks."""

    def __init__(self, canvas: Canvas, font_name: str) -> None:
        self.font = pdfmetrics.getFont(font_name)
        self.doc = canvas._doc
        self.cache: dict[str, list[tuple[int, str]]] = {}
        self.names: dict[int, str] = {}
        self.table: dict[int, str] = {}
        self.known = ""
        self._learned = 0

    def width(self, text: str, size: float) -> float:
        return self.font.stringWidth(text, size)

    def chunks(self, text: str) -> list[tuple[int, str]]:
        chunks = self.cache.get(text)
        if chunks is None:
            if self.known and not text.strip(self.known):
                # every character already has a code in subset 0: encode with one translate
                raw = text.translate(self.table).encode("latin-1")
                chunks = [(0, f"({escapePDF(raw)}) Tj")]
            else:
                chunks = [(subset, f"({escapePDF(raw)}) Tj")
                          for subset, raw in self.font.splitString(text, self.doc)]
                self._learn()
            if len(self.cache) < CACHE_LIMIT:
                self.cache[text] = chunks
        return chunks

    def subset_name(self, subset: int) -> str:
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.font.getSubsetInternalName(subset, self.doc)
        return name

    def _learn(self) -> None:
        """Take over the codes reportlab assigned in subset 0, for the translate fast path."""
        assignments = self.font.state[self.doc].assignments
        if len(assignments) == self._learned:
            return
        self._learned = len(assignments)
        self.table = {char: chr(code) for char, code in assignments.items() if code < 256}
        self.known = "".join(chr(char) for char in self.table)


class TextBlock:
    """One BT…ET block of positioned strings in any of the document's fonts."""

    def __init__(self, canvas: Canvas, encoders: dict[str, FontEncoder]) -> None:
        self.canvas = canvas
        self.encoders = encoders
        self.out: list[str] = ["BT"]
        self.current: tuple[str, int, float] | None = None

    def encoder(self, font: str) -> FontEncoder:
        enc = self.encoders.get(font)
        if enc is None:
            enc = self.encoders[font] = FontEncoder(self.canvas, font)
        return enc

    def text(self, font: str, size: float, x: float, y: float, s: str, align: str = "left") -> None:
        if not s:
            return
        enc = self.encoder(font)
        if align == "right":
            x -= enc.width(s, size)
        elif align == "center":
            x -= enc.width(s, size) / 2
        out = self.out
        out.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for subset, op in enc.chunks(s):
            key = (font, subset, size)
            if key != self.current:
                out.append(f"{enc.subset_name(subset)} {fp_str(size)} Tf")
                self.current = key
            out.append(op)

    def flush(self) -> None:
        """Append the block to the current page (nothing when it holds no text)."""
        if len(self.out) > 1:
            self.out.append("ET")
            self.canvas._code.append(" ".join(self.out))
        self.out = ["BT"]
        self.current = None
