"""One conviction per count: a later court step on a count already convicted (probation
violation or revocation, reinstatement, modification, resentencing) is history of that
conviction, never a second conviction with its own determination, order line or update-file
line (prop64-rules.md step 7).

DOJ writes such a step as a later court-action step of the same arrest cycle listing the
count again: a `CONVICTED...` disposition (the same count number, or `PROB REVOKED`, `VOP`
in the disposition or comment), or a disposition such as `PROBATION REVOKED`. Court sheets
write it as another row of the same case and charge whose disposition says so. The step
joins the conviction's source rows, a `court_step` event records it in the person's
history, and a sentence it imposes becomes the conviction's sentence end when later (it
decides resentencing, HS 11361.8(a)-(b)). The words are data (`[later_step]` in
`resources/dispositions.toml`).
"""

from __future__ import annotations

import re
import tomllib
import weakref
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from clerkapp.domain.records import ConvictionRecord, PersonEvent, Section
from clerkapp.paths import RESOURCES_DIR

EVENT_KIND = "court_step"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    data = tomllib.loads((RESOURCES_DIR / "dispositions.toml").read_text(encoding="utf-8"))
    return tuple(re.compile(p, re.I) for p in data["later_step"]["patterns"])


@lru_cache(maxsize=8192)
def _says_later_step(text: str) -> bool:
    return any(p.search(text) for p in _patterns())


def reads_as_later_step(*texts: str | None) -> bool:
    """Whether a disposition or comment says its row is a later step on a count."""
    return any(t and _says_later_step(t) for t in texts)


@dataclass
class Step:
    """A later-step row that is not itself a conviction (`PROBATION REVOKED`)."""

    row: int
    cycle_key: str | None
    event_date: str | None
    section: Section | None
    text: str
    case_numbers: list[str]
    county: str | None


def merge_later_steps(key: str, convictions: list[ConvictionRecord], steps: list[Step],
                      events: list[PersonEvent]) -> list[ConvictionRecord]:
    """One person's DOJ convictions with each later step on a convicted count folded into the
    conviction it continues (events appended to `events`): the convictions that remain, in
    their order.

    A later step is always of the same arrest cycle, so each cycle's convictions are taken
    alone (in CYC_ORDER, DOJ's cycle numbers being digits, so that the events come in the
    order of the whole record); without two convictions of one charge in one cycle there is
    nothing to fold.
    """
    if not steps and (len(convictions) < 2 or not _may_fold(convictions)):
        return convictions
    by_cycle: dict[str | None, list[ConvictionRecord]] = {}
    for c in convictions:
        group = by_cycle.get(c.cycle_key)
        if group is None:
            by_cycle[c.cycle_key] = [c]
        else:
            group.append(c)
    kept: dict[str | None, list[ConvictionRecord]] = {}
    folded: set[int] = set()
    for cycle in sorted(by_cycle, key=lambda k: k or ""):
        group = by_cycle[cycle]
        if len(group) > 1:
            group = sorted(group, key=_order)
        if cycle is None or len(group) < 2:
            kept[cycle] = group  # (a conviction without a cycle continues none)
            continue
        mine = kept[cycle] = []
        for r in group:
            first = _continues(r, mine)
            if first is None:
                mine.append(r)
            else:
                _fold(first, r, events)
                folded.add(id(r))
    for s in steps:
        first = next((c for c in reversed(kept.get(s.cycle_key, ()))
                      if _same_charge(c.section, s.section)
                      and _cases_agree(c.case_numbers, s.case_numbers)), None)
        if first is not None:
            first.source_rows.append(s.row)
        events.append(PersonEvent(
            person_key=key, kind=EVENT_KIND, source_row=s.row, event_date=s.event_date,
            section=s.section, cycle_key=s.cycle_key, county=s.county,
            text=s.text + (_of(first) if first else "")))
    if not folded:
        return convictions
    return [c for c in convictions if id(c) not in folded]


def _may_fold(convictions: list[ConvictionRecord]) -> bool:
    """Whether two of the convictions share a cycle and a charge: a later step needs both."""
    seen: set[tuple[str, str, str]] = set()
    for c in convictions:
        s = c.section
        if c.cycle_key is not None and s is not None:
            key = (c.cycle_key, s.code, s.number)
            if key in seen:
                return True
            seen.add(key)
    return False


class SheetSteps:
    """The same for a court sheet, row by row: a row whose disposition says it is a later step
    and whose person, case and charge match a conviction earlier in the import becomes a
    `court_step` event instead of a conviction. Only what a later step needs is remembered
    (the conviction itself while its batch is in memory)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], list[tuple[str | None, frozenset[str], object]]] = {}

    def absorb(self, c: ConvictionRecord, events: list[PersonEvent]) -> bool:
        """True when `c` is a later step of an earlier conviction (recorded as an event)."""
        if c.section is None:
            return False
        key = (c.person_key, c.section.code, c.section.number)
        earlier = self._seen.get(key)
        if earlier and reads_as_later_step(c.disposition):
            cases = frozenset(x.upper() for x in c.case_numbers)
            for when, their_cases, ref in reversed(earlier):
                if (not cases or not their_cases or cases & their_cases) and \
                        (not when or not c.conviction_date or when <= c.conviction_date):
                    first = ref()
                    if first is not None:
                        first.source_rows.append(c.source_rows[0])
                    events.append(PersonEvent(
                        person_key=c.person_key, kind=EVENT_KIND, source_row=c.source_rows[0],
                        event_date=c.conviction_date, section=c.section, county=c.county,
                        text=f"{c.disposition}: {c.raw_offense or c.section.text}"
                             f" (later step on the count convicted {when or '(date unknown)'})"))
                    return True
        self._seen.setdefault(key, []).append(
            (c.conviction_date, frozenset(x.upper() for x in c.case_numbers), weakref.ref(c)))
        return False


def _same_charge(a: Section | None, b: Section | None) -> bool:
    return a is not None and b is not None and (a.code, a.number) == (b.code, b.number)


def _cases_agree(a: list[str], b: list[str]) -> bool:
    """Same case as far as the record tells: a shared number, or one side has none."""
    return not a or not b or bool({x.upper() for x in a} & {x.upper() for x in b})


def _step_of(count_key: str | None) -> tuple[str, str] | None:
    """(step, count) of a DOJ CNT_ORDER `CCCSSSNNN000`; None for any other shape."""
    if count_key and len(count_key) == 12 and count_key.isdigit():
        return count_key[3:6], count_key[6:9]
    return None


def _order(r: ConvictionRecord) -> tuple[str, str, str, str]:
    step = _step_of(r.count_key) or ("", "")
    return (r.cycle_key or "", step[0], r.conviction_date or "", step[1])


def _earlier(r: ConvictionRecord, than: ConvictionRecord) -> bool:
    a, b = _step_of(r.count_key), _step_of(than.count_key)
    if a and b and a[0] != b[0]:
        return a[0] < b[0]
    if r.conviction_date and than.conviction_date and r.conviction_date != than.conviction_date:
        return r.conviction_date < than.conviction_date
    return False


def _continues(r: ConvictionRecord, kept: list[ConvictionRecord]) -> ConvictionRecord | None:
    """The conviction `r` is a later step of: same cycle, charge and case, an earlier step,
    and either the same count number or words saying it is a later step."""
    if r.cycle_key is None:
        return None
    signal = None  # whether r's words say it is a later step: read only when it matters
    mine = _step_of(r.count_key)
    found = None
    for c in kept:
        if c.cycle_key != r.cycle_key or not _same_charge(c.section, r.section) or \
                not _cases_agree(c.case_numbers, r.case_numbers) or not _earlier(c, r):
            continue
        theirs = _step_of(c.count_key)
        if mine and theirs and mine[1] == theirs[1]:
            return c  # the same count listed again at a later step
        if signal is None:
            signal = reads_as_later_step(r.disposition, r.comment_text)
        if signal:
            found = c  # the latest earlier one
    return found


def _of(first: ConvictionRecord) -> str:
    return f" (later step on the count convicted {first.conviction_date or '(date unknown)'})"


def _fold(into: ConvictionRecord, later: ConvictionRecord, events: list[PersonEvent]) -> None:
    into.source_rows.extend(later.source_rows)
    for flag in later.flags:
        if flag not in into.flags:
            into.flags.append(flag)
    what = later.disposition or "later court step"
    if later.sentence_text:
        into.sentence_text = (f"{into.sentence_text}; " if into.sentence_text else "") + \
            f"then ({what}, {later.conviction_date or 'date unknown'}) {later.sentence_text}"
        if later.sentence_end is None:
            into.sentence_end = into.sentence_days = None  # the sentence in force is unknown
        elif into.sentence_end is not None and later.sentence_end > into.sentence_end:
            into.sentence_end = later.sentence_end
            into.sentence_days = _days(into.conviction_date, later.sentence_end)
    level = f", level {later.level}" if later.level and later.level != into.level else ""
    charge = later.raw_offense or later.comment_text or ""
    events.append(PersonEvent(
        person_key=into.person_key, kind=EVENT_KIND, source_row=later.source_rows[0],
        event_date=later.conviction_date, section=later.section, cycle_key=later.cycle_key,
        county=later.county, text=f"{what}: {charge}{level}{_of(into)}"))


def _days(start: str | None, end: str) -> int | None:
    if not start or len(start) != 10 or len(end) != 10:
        return None
    return (date.fromisoformat(end) - date.fromisoformat(start)).days
