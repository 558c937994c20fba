"""The counter look-up: a person asks whether their cannabis conviction was relieved.

A name is matched however it is typed (`GARCIA, MARIA`, `Maria García`, `Maria Garsia`).
A name that fits more than one person lists the candidates (name and year of birth) without
their records, until a date of birth or a case number narrows it to one. Every
look-up is written to the audit log: who looked, when, and the ids of the people whose
records were shown or listed (ids, not names: the audit log is exported and read widely).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from clerkapp.domain.dates import typed_date
from clerkapp.domain.names import (
    PersonName,
    first_name_first,
    name_similarity,
    name_variants,
    parse_name,
)
from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.store import Store
from clerkapp.store.people import ConvictionStanding, Linked, PersonCard

# name score (0-100, `match_score`) a person needs, by what else the clerk gave
MATCH_NAME_ALONE = 80.0
MATCH_WITH_DOB = 65.0
MATCH_WITH_CASE = 55.0
SHORTLIST = 400  # best index entries re-scored in full per look-up
_CACHE: dict[str, tuple[tuple, NameIndex]] = {}
_CACHE_LOCK = threading.Lock()
MAX_CANDIDATES = 25

STATE_LABELS = {
    "not_eligible": "Not eligible",
    "in_review": "In review",
    "approved": "Approved; order not printed yet",
    "ordered": "Ordered",
    "reported": "Ordered; reported to DOJ",
    "withdrawn": "Order withdrawn: the relief no longer stands",
}
RELIEF_LABELS = {
    "dismiss_and_seal": "Dismissed and sealed",
    "redesignate_misdemeanor": "Now a misdemeanor",
    "redesignate_infraction": "Now an infraction",
}


@dataclass(frozen=True)
class Candidate:
    """Somebody the name fits: enough to ask the person, not their record."""

    person_id: int
    name: str
    birth_year: str
    score: float


@dataclass(frozen=True)
class PersonFound:
    card: PersonCard
    standings: list[ConvictionStanding]
    score: float

    @property
    def ordered(self) -> list[ConvictionStanding]:
        return [s for s in self.standings if s.order is not None and s.relief]

    @property
    def ordered_elsewhere(self) -> list[int]:
        """The other records (person ids) where relief was ordered for a conviction of this
        one that a reconciliation linked to them: the confirmation is printed for those."""
        return sorted({s.linked.person_id for s in self.standings
                       if s.linked is not None and s.linked.standing is not None
                       and s.linked.standing.order is not None and s.linked.standing.relief})


@dataclass
class LookupResult:
    """`people` hold records to show; `candidates` are listed only (too little to go on)."""

    people: list[PersonFound] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    narrowed_by: tuple[str, ...] = ()  # "dob", "case"
    total: int = 0  # people who fit (candidates lists the best MAX_CANDIDATES)

    @property
    def message(self) -> str:
        if self.people:
            n = len(self.people)
            return f"{n} person found" if n == 1 else f"{n} people found"
        if self.candidates:
            more = ("a date of birth or a case number" if not self.narrowed_by else
                    "a case number" if self.narrowed_by == ("dob",) else
                    "a date of birth" if self.narrowed_by == ("case",) else "the full name")
            return (f"{self.total:,} people fit: give {more} to see a record")
        return "nobody in the records fits this name" + (
            " with the date of birth and case number given" if self.narrowed_by else "")


def _surname_score(a: str, b: str) -> float:
    """`garcia` against `garcia lopez` is a full match (a second surname left off)."""
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b) if " " in a + b else 0.0)


def match_score(query: PersonName, candidate: PersonName) -> float:
    """0-100: how well a name typed at the counter fits a recorded one.

    The reconciliation's `name_similarity`, and beside it first and last names scored apart
    and averaged: "Ana Alpah" for `ALPHA,ANNA MARIE` has two typos and no middle name, which
    a whole-name comparison punishes twice. A one-word query is compared with surnames only
    (too little to identify anybody: the look-up lists candidates)."""
    last_q, last_c = " ".join(query.surnames), " ".join(candidate.surnames)
    if not query.given:
        return _surname_score(last_q, last_c)
    best = name_similarity(query, candidate)
    if candidate.given:
        first_q, first_c = query.given[0], candidate.given[0]
        best = max(best, (fuzz.ratio(first_q, first_c) + _surname_score(last_q, last_c)) / 2)
        if not query.surname_known:  # "alpha anna": maybe surname first without a comma
            best = max(best, (fuzz.ratio(last_q, first_c) + _surname_score(first_q, last_c)) / 2)
    return best


def _key(name: PersonName) -> str:
    """What the fast first pass compares: first given name and surnames."""
    return " ".join((*name.given[:1], *name.surnames))


class NameIndex:
    """Every person's names and aliases, parsed once: a counter keeps it while it looks up."""

    def __init__(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.keys: list[str] = []
        self.names: list[PersonName] = []
        self.owner: list[int] = []
        self.dob: dict[int, str] = {}
        self.name: dict[int, str] = {}
        self.entries: dict[int, list[int]] = {}  # person id -> positions of their names
        for person_id, name, aliases, dob in rows:
            self.dob[person_id] = dob
            self.name[person_id] = name
            for variant in name_variants(name, [str(a) for a in json.loads(aliases or "[]")]):
                self.entries.setdefault(person_id, []).append(len(self.keys))
                self.keys.append(_key(variant))
                self.names.append(variant)
                self.owner.append(person_id)

    @classmethod
    def from_store(cls, store: Store, person_ids: set[int] | None = None) -> NameIndex:
        """Every person's names, or only those of `person_ids` (a look-up narrowed by a date
        of birth or a case number reads just those)."""
        return cls(list(store.iter_person_names(person_ids)))

    @classmethod
    def cached(cls, store: Store) -> NameIndex:
        """Everybody's names, kept between look-ups on the same store until a name, alias or
        date of birth changes (reading a quarter of a million names takes a second or two)."""
        key = str(store.path)
        signature = store.people_names_signature()
        with _CACHE_LOCK:
            kept = _CACHE.get(key)
            if kept is not None and kept[0] == signature:
                return kept[1]
        index = cls.from_store(store)
        with _CACHE_LOCK:
            _CACHE.clear()  # one store at a time: a desk works on one
            _CACHE[key] = (signature, index)
        return index

    def scores(self, query: PersonName, *, floor: float,
               only: set[int] | None = None) -> dict[int, float]:
        """person id -> best score of their names at or above `floor` (`only`: those people)."""
        if only is not None:
            picks = [i for p in only for i in self.entries.get(p, ())]
        elif not query.given:  # one word: every entry with a surname like it
            word = query.surnames[0]
            picks = [i for i, n in enumerate(self.names)
                     if _surname_score(word, " ".join(n.surnames)) >= floor]
        else:
            # a fast first pass in C over every entry, then the full score on the best ones
            found = process.extract(_key(query), self.keys, scorer=fuzz.token_sort_ratio,
                                    limit=SHORTLIST, score_cutoff=max(floor - 30, 40))
            picks = [i for _, _, i in found]
        best: dict[int, float] = {}
        for i in set(picks):
            score = match_score(query, self.names[i])
            owner = self.owner[i]
            if score >= floor and score > best.get(owner, -1):
                best[owner] = score
        return best


def check_dob(text: str | None, label: str = "--dob") -> str | None:
    """The date of birth typed (04/07/1985, 1985-04-07, ...) as ISO, None when empty; one
    line naming `label` (never the date) for one that is not a whole past day, or whose
    two-digit year could be either century."""
    if not text or not str(text).strip():
        return None
    try:
        return typed_date(text)
    except ValueError as exc:
        raise BadInput(f"{label}: {exc}") from None


def look_up(
    store: Store,
    name: str,
    *,
    dob: str | None = None,
    case_number: str | None = None,
    clerk: str | None = None,
    index: NameIndex | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> LookupResult:
    """Find a person by name (and DOB, case number); audited whatever it finds."""
    query = parse_name(name)
    if not query:
        raise BadInput("give the person's name (as 'LAST, FIRST' or 'First Last')")
    dob = check_dob(dob)
    case_number = (case_number or "").strip() or None
    progress(0, None, "Looking up")
    narrowed: list[str] = []
    only: set[int] | None = None
    floor = MATCH_NAME_ALONE
    if case_number:
        only = store.people_with_case_number(case_number)
        narrowed.append("case")
        floor = MATCH_WITH_CASE
    if dob:
        born = store.people_born(dob)
        only = born if only is None else only & born
        narrowed.append("dob")
        floor = min(floor, MATCH_WITH_DOB)
    if index is None:
        # narrowed: read just those people; a name alone: everybody, kept between look-ups
        index = NameIndex.from_store(store, only) if only is not None else NameIndex.cached(store)
    check(cancel)
    scores = index.scores(query, floor=floor, only=only)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    result = LookupResult(narrowed_by=tuple(narrowed), total=len(ranked))
    # a record is shown for one person only (with a date of birth and a case number both
    # given, for the few records that may be one person imported twice); more fit: candidates
    enough = bool(query.given) and (len(ranked) == 1 or len(narrowed) == 2 and len(ranked) <= 3)
    if enough:
        cards = store.person_cards([p for p, _ in ranked])
        result.people = [PersonFound(cards[p], store.person_standings(p), s)
                         for p, s in ranked if p in cards]
    else:
        result.candidates = [
            Candidate(p, first_name_first(index.name.get(p, "")), index.dob.get(p, "")[:4], s)
            for p, s in ranked[:MAX_CANDIDATES]]
    with store.atomic():
        store.audit(
            clerk or store.clerk_name(), "lookup.person", entity="person",
            entity_id=result.people[0].card.person_id if len(result.people) == 1 else None,
            case_number=case_number,
            details={"shown": [p.card.person_id for p in result.people],
                     "listed": [c.person_id for c in result.candidates],
                     "dob_given": bool(dob), "case_given": bool(case_number)})
    return result


def standing_text(s: ConvictionStanding) -> str:
    """`Ordered 2026-03-02, order No. 2026-P64-00012: Dismissed and sealed` and the like;
    `Order printed 2026-03-02, not yet recorded as signed, order No. …` before the signing;
    `Reconciled with DOJ record P000002: Ordered …` for a copy a reconciliation linked to the
    other list's record, where the decision and the order are."""
    linked = s.linked
    if linked is not None and linked.standing is not None:
        return f"Reconciled with {_record(linked)}: {standing_text(linked.standing)}"
    text = _own_standing(s)
    if linked is not None:  # a possible match the clerk has not confirmed or rejected
        text += (f"; possible match with {_record(linked)}, to confirm or reject in Tools ▸"
                 " Reconcile with the DOJ list")
    return text


def _record(linked: Linked) -> str:
    """`DOJ record P000002` / `court record P000245`: the reference the look-up lists."""
    from clerkapp.relief.notices import person_reference

    return f"{'DOJ' if linked.side == 'doj' else 'court'} record {person_reference(linked.person_id)}"


def _own_standing(s: ConvictionStanding) -> str:
    if s.state in ("ordered", "reported") and s.order is not None:
        vacated = [v.number for v in s.vacated if v.by_order_id == s.order.order_id]
        # a printed order is a paper for the judge to sign until its signing is recorded
        ordered = (f"Ordered {s.order.date}" if s.order.signed_on else
                   f"Order printed {s.order.date}, not yet recorded as signed")
        text = (f"{ordered}, order No. {s.order.number}"
                + (f" (vacates order No. {', '.join(vacated)})" if vacated else "")
                + f": {RELIEF_LABELS.get(s.relief, s.relief)}")
        return (text + (f"; reported to DOJ {s.reported_at[:10]}" if s.state == "reported" else "")
                + ("; case system updated" if s.stage == "closed" else ""))
    if s.state == "approved":
        return f"{STATE_LABELS['approved']} ({RELIEF_LABELS.get(s.relief, s.relief)})"
    return STATE_LABELS[s.state]
