"""What the engine reads from a conviction's charge texts beyond its stored section: the text
that carries the charge, whether it mentions cannabis, and a conspiracy's or attempt's target
named only in the description (prop64-rules.md step 7)."""

from __future__ import annotations

import re

from clerkapp.domain.charges import WRAPPER_NUMBERS, parse_charge
from clerkapp.rules.history import Conviction
from clerkapp.rules.law import SectionRef

_CANNABIS_TEXT = re.compile(r"1135[789](?!\.\d)|11360(?!\.\d)|MARIJ|CANNAB", re.I)


def target_named_in_text(c: Conviction) -> Conviction:
    """A PC 182 / PC 664 whose target is named only in the description (`182(A)(1)
    PC-CONSPIRACY 11359 HS`) as its target with both flags kept, like `182/11359` (step 7):
    stores imported before the importer read such texts still hold PC 182 itself."""
    found = parse_charge(charge_text(c))
    if found is None or found.code == "PC" and found.number in WRAPPER_NUMBERS:
        return c
    return c.with_section(SectionRef(found.code, found.number.lower(), found.subs,
                                     found.attempted, found.conspiracy))


def charge_text(c: Conviction) -> str | None:
    """The text that carries the charge: the comment when the offense text only points to it."""
    raw = c.raw_offense
    if not raw or "SEE COMMENT" in raw.upper() or "offense_from_comment" in c.flags:
        return c.comment_text or raw
    return raw


def looks_cannabis(c: Conviction) -> bool:
    return bool(_CANNABIS_TEXT.search(f"{c.raw_offense or ''} {c.comment_text or ''}"))
