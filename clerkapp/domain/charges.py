"""The section a charge text names, when the charge does not stand at the start of the text.

`parse_section` reads the charge at the start of a text (`182/11359 PC`). Records also
write the charge inside words: a conspiracy or attempt whose target is named only in the
description (`182(A)(1) PC-CONSPIRACY 11359 HS`, `664/182 PC-ATT CONSPIRACY 11360 HS`), or
a DOJ COMMENT_TEXT carrying the charge after a label or an abbreviation (`CHARGE: 11359 HS-POSS
FOR SALE`, `POSS 11357 HS`). `parse_charge` reads those too (prop64-rules.md step 7; issue
12): a PC 182 or PC 664 with a target in its description becomes the target with the
conspiracy and attempt flags (both kept), as `182/11359` always did.

A number inside words counts as a charge only when a code is written beside it, or it is a
controlled-substance number (HS 11000-11651), or it is 182/664 leading a target: dates,
counts and amounts in the words are never read as sections.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from clerkapp.domain.records import Section
from clerkapp.domain.sections import infer_code, parse_section

__all__ = ["parse_charge", "WRAPPER_NUMBERS"]

WRAPPER_NUMBERS = frozenset({"182", "664"})  # conspiracy, attempt
_CODE = r"(?:H\s*[&+]\s*S|HSC|HS|PC|P\.C\.|VC|BP|B\s*&\s*P|WI|W\s*&\s*I|FG|WC)"
# a number that may be a charge, with the code before or after it
_CANDIDATE = re.compile(
    r"(?<![\w.])(?:(" + _CODE + r")[\s\-.:§#]*)?(\d{3,5})(?:[.,]\d{1,3})?"
    r"((?:\s*\([A-Z0-9]{1,4}\))*)(?:\s*-?\s*(" + _CODE + r")(?![A-Z]))?(?=[\s\-/().,;:]|[A-Z]|$)"
)
_WRAPPER_LEAD = re.compile(r"(?:182|664)\s*(?:\([A-Z0-9]{1,4}\)\s*)*(?:PC\s*)?[/\\\-.]\s*\d")


def parse_charge(text: str | None) -> Section | None:
    """The section `text` names, wherever in the text it stands (module docstring)."""
    if not text:
        return None
    if not isinstance(text, str):
        text = str(text)
    return _parse_charge(text.upper().strip())


@lru_cache(maxsize=65536)
def _parse_charge(text: str) -> Section | None:
    section = parse_section(text)
    if section is None:
        section = _inside(text, 0)
        if section is None:
            return None
    if section.code == "PC" and section.number in WRAPPER_NUMBERS:
        target = _inside(text, _after_wrapper(text), target=True)
        if target is not None and not (target.code == "PC" and target.number in WRAPPER_NUMBERS):
            return replace(target,
                           attempted=target.attempted or section.attempted or section.number == "664",
                           conspiracy=target.conspiracy or section.conspiracy
                           or section.number == "182")
    return section


def _after_wrapper(text: str) -> int:
    """Where the wrapper's own number (182, 664 and their subsections) ends."""
    m = re.search(r"(?:182|664)(?:\s*\([A-Z0-9]{1,4}\))*", text)
    return m.end() if m else 0


def _inside(text: str, start: int, *, target: bool = False) -> Section | None:
    """The first number after `start` that reads as a charge (module docstring); with
    `target`, the first that is not itself 182 or 664 (`664/182 PC-... 11360 HS`)."""
    for m in _CANDIDATE.finditer(text, start):
        before, number, _, after = m.groups()
        if target and number in WRAPPER_NUMBERS:
            continue
        is_wrapper = number in WRAPPER_NUMBERS and _WRAPPER_LEAD.match(text, m.start(2))
        if not (before or after or is_wrapper or infer_code(number) == "HS"):
            continue
        section = parse_section(text[m.start():])
        if section is not None:
            return section
    return None
