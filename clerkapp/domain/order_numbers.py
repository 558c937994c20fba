"""Order numbers from the court's pattern, e.g. `{year}-P64-{seq:05d}` -> "2026-P64-00017".

Every order printed gets one, printed on every page and recorded, so a filed order, a DOJ
update line or a certificate can name it. The court sets the pattern (Settings ▸ Court
profile, `orders.number_pattern`); the sequence runs within a *series*: the pattern with
everything but the sequence filled in, so `{year}` starts a new series each year and a
pattern without it never restarts.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

DEFAULT_PATTERN = "{year}-P64-{seq:05d}"
KIND_LETTERS = {"case": "C", "bulk": "B"}  # `{kind}`: per-case or bulk order
FIELDS = ("year", "yy", "month", "kind", "seq")
MAX_LENGTH = 40
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9 ._/#:-]*")
EXAMPLE = "e.g. {year}-P64-{seq:05d}"


class PatternError(ValueError):
    """A pattern that cannot number orders; the message says why and shows an example."""


@dataclass(frozen=True)
class NumberPattern:
    """A validated pattern: `series(...)` names the sequence, `number(...)` the order."""

    text: str

    def series(self, order_date: str, kind: str) -> str:
        """The pattern with every field but the sequence filled in: numbers sharing it
        share one sequence ("2026-P64-{seq}")."""
        return _fill(self.text, order_date, kind, seq=None)

    def number(self, order_date: str, kind: str, seq: int) -> str:
        return _fill(self.text, order_date, kind, seq=seq)


def parse_pattern(text: str) -> NumberPattern:
    """Check a pattern; PatternError naming what is wrong (unknown field, no `{seq}`, a
    format `{seq}` cannot take, characters a file name or a DOJ line would choke on)."""
    text = (text or "").strip()
    if not text:
        raise PatternError(f"the order number pattern is empty ({EXAMPLE})")
    seqs = 0
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise PatternError(f"order number pattern {text!r}: {exc} ({EXAMPLE})") from None
    for literal, name, spec, conversion in parts:
        if not _ALLOWED_CHARS.fullmatch(literal):
            bad = next(ch for ch in literal if not _ALLOWED_CHARS.fullmatch(ch))
            raise PatternError(f"order number pattern {text!r}: the character {bad!r} is not"
                               " allowed (letters, digits, space and . _ / # : - are)")
        if name is None:
            continue
        if name not in FIELDS or conversion:
            raise PatternError(f"order number pattern {text!r}: unknown field {{{name}}}"
                               f" (known: {', '.join('{' + f + '}' for f in FIELDS)}; {EXAMPLE})")
        if name == "seq":
            seqs += 1
            try:
                format(1, spec or "")
            except ValueError:
                raise PatternError(f"order number pattern {text!r}: {{seq:{spec}}} is not a"
                                   " number format (write {seq:05d} for five digits)") from None
        elif spec:
            raise PatternError(f"order number pattern {text!r}: {{{name}}} takes no format")
    if seqs != 1:
        raise PatternError(f"order number pattern {text!r} must contain {{seq}} exactly once:"
                           f" it numbers the orders ({EXAMPLE})")
    pattern = NumberPattern(text)
    sample = pattern.number("2026-12-31", "bulk", 99999)
    if len(sample) > MAX_LENGTH:
        raise PatternError(f"order number pattern {text!r} makes numbers longer than"
                           f" {MAX_LENGTH} characters ({sample})")
    return pattern


def check_pattern(value: object) -> None:
    """For the settings form and `clerkapp settings`: raise PatternError when bad."""
    parse_pattern(str(value or ""))


def _fill(text: str, order_date: str, kind: str, seq: int | None) -> str:
    year, month = order_date[:4], order_date[5:7]
    out = []
    for literal, name, spec, _ in string.Formatter().parse(text):
        out.append(literal)
        if name == "seq":
            out.append("{seq}" if seq is None else format(seq, spec or ""))
        elif name is not None:
            out.append({"year": year, "yy": year[2:], "month": month,
                        "kind": KIND_LETTERS.get(kind, kind[:1].upper())}[name])
    return "".join(out)
