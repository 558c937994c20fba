"""Linking the court's convictions to the DOJ's: blocking, scoring, one-to-one assignment.

The court side is held in memory with exact-key indexes (CII, SSN, driver's licence, date of
birth with each name word, the birth year with each word for a partial date, case number); the DOJ side streams past it one
person at a time, so the work stays near linear and memory follows the court's file. Only
records sharing a key are ever compared, and names are compared with rapidfuzz
(`clerkapp.domain.names`). Pure: no store.

A pair is scored 0-100: how sure the person is the same (100 for a shared CII, SSN or
licence; the name similarity, less for a date of birth that is transposed, partial or
different, for name and DOB) times how well the convictions agree (case number, section,
conviction date). `assign` then takes the best pairs first, each conviction once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from clerkapp.domain.names import PersonName, name_similarity, name_tokens, name_variants
from clerkapp.reconcile.compare import (
    dates_close,
    dob_key,
    dob_relation,
    dob_year,
    section_relation,
)

MATCHED = 90.0  # a pair scoring at least this (and its person this sure) is linked
POSSIBLE = 65.0  # from this up to MATCHED the clerk decides
FULL_AGREEMENT = 100.0  # case number, section and conviction date all agree
SURE_WITH_FULL_AGREEMENT = 80.0  # then a person this sure (a typo, a transposed DOB) is linked
DOB_PENALTY = {"same": 0.0, "transposed": 5.0, "partial": 5.0, "different": 30.0,
               "missing": 15.0}
DOB_NOTE = {"transposed": "date of birth day and month transposed",
            "partial": "date of birth partial on one side",
            "different": "dates of birth differ", "missing": "no date of birth on one side"}


@dataclass(slots=True)
class Person:
    """What identifies one person of either side."""

    person_id: int
    name: str
    aliases: tuple[str, ...] = ()
    dob: str = ""
    cii: str = ""
    ssn: str = ""
    cdl: str = ""
    _names: list[PersonName] | None = None

    @property
    def names(self) -> list[PersonName]:
        if self._names is None:
            self._names = name_variants(self.name, self.aliases)
        return self._names

    def unusable(self) -> str:
        """Why this person cannot be matched ('' when they can): no name, or nothing that
        tells two people of one name apart (a date of birth, CII, SSN or licence)."""
        if not self.names:
            return "no name"
        if not (self.dob or self.cii or self.ssn or self.cdl):
            return "no date of birth or CII"
        return ""


@dataclass(slots=True)
class Conviction:
    id: int
    person_id: int
    case_keys: tuple[str, ...]  # domain.casenumbers.case_keys; `#core` keys last
    section: tuple[str, str, str]  # code, number, subs ('a,2')
    level: str
    disposition: str  # compare.disposition_class
    date: str
    attempted: bool = False


@dataclass(slots=True)
class Candidate:
    score: float
    doj_id: int
    court_id: int
    match_key: str
    person_score: float
    agreement: float  # how well the convictions agree, 0-100
    differences: str = ""  # section / level / date / disposition, joined '; '
    notes: str = ""  # why the identity is less than sure, joined '; '


@dataclass(slots=True)
class Link:
    """One row of the reconciliation: a pair, or one side alone."""

    status: str  # matched | possible_match | conflict | court_only | doj_only | unmatched
    doj_id: int | None
    court_id: int | None
    match_key: str = ""
    score: float | None = None
    note: str = ""


def _conviction_agreement(d: Conviction, c: Conviction, same_person: bool
                          ) -> tuple[float, str] | None:
    """(how well two convictions agree 0-100, their differences), or None when nothing ties
    them together (neither the case number nor section and date)."""
    keys_c = c.case_keys
    # a bare digit run (`#123456`) ties only one person's cases: it could be anyone's
    case_ok = any(k in keys_c for k in d.case_keys if same_person or k[0] != "#")
    section = section_relation(d.section, c.section)
    section_ok = section in ("same", "compatible")
    close = dates_close(d.date, c.date)
    if not (case_ok or (section_ok and close)):
        return None
    if case_ok and section_ok and close is not False:
        agreement = 100.0
    elif case_ok and (section_ok or close):
        agreement = 95.0
    elif section_ok and close:
        agreement = 92.0 if section == "same" else 90.0
    else:
        agreement = 85.0
    if (section != "different" and (not d.level or not c.level or d.level == c.level)
            and close is not False and (not d.disposition or not c.disposition
                                        or d.disposition == c.disposition)):
        return agreement, ""
    differences = []
    if section == "different":
        differences.append(f"section {_section_text(d.section)} (DOJ) vs "
                           f"{_section_text(c.section)} (court)")
    if d.level and c.level and d.level != c.level:
        differences.append(f"level {d.level} (DOJ) vs {c.level} (court)")
    if close is False:
        differences.append(f"conviction date {d.date} (DOJ) vs {c.date} (court)")
    if d.disposition and c.disposition and d.disposition != c.disposition:
        differences.append(f"disposition {d.disposition} (DOJ) vs {c.disposition} (court)")
    return agreement, "; ".join(differences)


def _section_text(section: tuple[str, str, str]) -> str:
    code, number, subs = section
    tail = "".join(f"({s})" for s in subs.split(",")) if subs else ""
    return f"{code} {number}{tail}".strip() or "(none)"


def _put(index: dict, key: str, value: object) -> None:
    """Index `value` under `key`: most keys hold one value, kept bare (a list only for two
    or more), which halves the memory of a court file's indexes."""
    found = index.get(key)
    if found is None:
        index[key] = value
    elif type(found) is list:
        found.append(value)
    else:
        index[key] = [found, value]


def _take(index: dict, key: str) -> list | tuple:
    found = index.get(key)
    if found is None:
        return ()
    return found if type(found) is list else (found,)


class CourtIndex:
    """The court side, indexed by every key a DOJ person could share with it."""

    def __init__(self) -> None:
        self.people: dict[int, Person] = {}
        self.convictions: dict[int, list[Conviction]] = defaultdict(list)  # by person id
        self.unusable: dict[int, str] = {}  # person id -> reason
        self.by_cii: dict[str, int | list[int]] = {}
        self.by_ssn: dict[str, int | list[int]] = {}
        self.by_cdl: dict[str, int | list[int]] = {}
        # "DOB key|word" for full dates of birth, "year|word" for partial ones
        self.by_dob_word: dict[str, int | list[int]] = {}
        self.by_year_word: dict[str, int | list[int]] = {}
        self.by_case: dict[str, Conviction | list[Conviction]] = {}

    def add_person(self, p: Person) -> None:
        self.people[p.person_id] = p
        reason = p.unusable()
        if reason:
            self.unusable[p.person_id] = reason
            return
        pid = p.person_id
        if p.cii:
            _put(self.by_cii, p.cii, pid)
        if p.ssn:
            _put(self.by_ssn, p.ssn, pid)
        if p.cdl:
            _put(self.by_cdl, p.cdl, pid)
        key, year = dob_key(p.dob), dob_year(p.dob)
        index, prefix = (self.by_dob_word, key) if key else (self.by_year_word, year)
        if prefix:
            for word in _name_words(p):
                _put(index, f"{prefix}|{word}", pid)

    def add_conviction(self, c: Conviction) -> None:
        self.convictions[c.person_id].append(c)
        if c.person_id in self.unusable:
            return
        for k in c.case_keys:
            if k[0] != "#":
                _put(self.by_case, k, c)

    # --- the DOJ side, one person at a time ------------------------------------------------

    def candidates(self, d: Person, convictions: list[Conviction]) -> list[Candidate]:
        """Every court conviction that may be one of this DOJ person's convictions."""
        out: list[Candidate] = []
        linked: set[int] = set()
        for court_pid, key, person_score, notes in self._people_for(d):
            linked.add(court_pid)
            court_convictions = self.convictions.get(court_pid, ())
            for dc in convictions:
                for cc in court_convictions:
                    agreement = _conviction_agreement(dc, cc, True)
                    if agreement is None:
                        continue
                    conv_score, differences = agreement
                    score = round(person_score * conv_score / 100.0, 1)
                    if score >= POSSIBLE:
                        out.append(Candidate(score, dc.id, cc.id, key, person_score,
                                             conv_score, differences, notes))
        # the same case number on a person none of the keys above found: a name written
        # too differently, or a date of birth one file lacks
        for dc in convictions:
            for k in dc.case_keys:
                if k[0] == "#":
                    continue
                for cc in _take(self.by_case, k):
                    if cc.person_id in linked:
                        continue
                    court = self.people[cc.person_id]
                    if d.cii and court.cii and d.cii != court.cii:
                        continue
                    similarity = name_similarity(d.names, court.names)
                    if similarity < 60:
                        continue
                    agreement = _conviction_agreement(dc, cc, False)
                    if agreement is None:
                        continue
                    conv_score, differences = agreement
                    relation = dob_relation(d.dob, court.dob)
                    person_score = max(0.0, similarity - DOB_PENALTY[relation] / 2)
                    score = round(person_score * conv_score / 100.0, 1)
                    if score >= POSSIBLE:
                        out.append(Candidate(score, dc.id, cc.id, "case_number", person_score,
                                             conv_score, differences,
                                             _identity_note(similarity, relation)))
        return out

    def _people_for(self, d: Person) -> list[tuple[int, str, float, str]]:
        """(court person id, match key, person score, note) for every court person who may
        be this DOJ person."""
        found: dict[int, tuple[str, float, str]] = {}
        people = self.people
        if d.cii:
            for pid in _take(self.by_cii, d.cii):
                found[pid] = ("cii", 100.0, "")
        for key, index, value in (("ssn", self.by_ssn, d.ssn), ("cdl", self.by_cdl, d.cdl)):
            if value:
                for pid in _take(index, value):
                    if pid not in found and not (d.cii and people[pid].cii
                                                 and d.cii != people[pid].cii):
                        found[pid] = (key, 100.0, "")
        key, year = dob_key(d.dob), dob_year(d.dob)
        if not d.names or not year:
            return [(pid, *v) for pid, v in found.items()]
        seen: set[int] = set(found)
        for word in _name_words(d):
            blocks = [_take(self.by_year_word, f"{year}|{word}")]
            if key:
                blocks.append(_take(self.by_dob_word, f"{key}|{word}"))
            for block in blocks:
                for pid in block:
                    if pid in seen:
                        continue
                    seen.add(pid)
                    court = people[pid]
                    if d.cii and court.cii and d.cii != court.cii:
                        continue  # both have a CII and they differ: not the same person
                    similarity = name_similarity(d.names, court.names)
                    relation = dob_relation(d.dob, court.dob)
                    person_score = similarity - DOB_PENALTY[relation]
                    if person_score >= POSSIBLE:
                        found[pid] = ("name_dob", person_score,
                                      _identity_note(similarity, relation))
        return [(pid, *v) for pid, v in found.items()]


def _identity_note(similarity: float, relation: str) -> str:
    """Why a person matched by name is less than sure: the name's similarity, the DOB."""
    notes = [f"name similarity {similarity:.0f}"] if similarity < 100 else []
    if relation != "same":
        notes.append(DOB_NOTE[relation])
    return "; ".join(notes)


def _name_words(p: Person) -> set[str]:
    """The blocking words of every name the person goes by."""
    words: set[str] = set()
    for name in p.names:
        words |= name_tokens(name)
    return words


def assign(candidates: list[Candidate], *, confirmed: set[tuple[int, int]] = frozenset(),
           rejected: set[tuple[int, int]] = frozenset()) -> list[Link]:
    """The pairs, best first, each conviction in at most one: the clerk's confirmed pairs
    before any score, the clerk's rejected pairs never."""
    def rank(c: Candidate) -> tuple:
        return ((c.doj_id, c.court_id) not in confirmed, -c.score, c.doj_id, c.court_id)

    links: list[Link] = []
    used_doj: set[int] = set()
    used_court: set[int] = set()
    for c in sorted(candidates, key=rank):
        pair = (c.doj_id, c.court_id)
        if pair in rejected or c.doj_id in used_doj or c.court_id in used_court:
            continue
        used_doj.add(c.doj_id)
        used_court.add(c.court_id)
        links.append(_link_of(c, pair in confirmed))
    return links


def _link_of(c: Candidate, confirmed: bool) -> Link:
    sure = confirmed or (c.score >= MATCHED and c.person_score >= MATCHED) or (
        c.agreement >= FULL_AGREEMENT and c.person_score >= SURE_WITH_FULL_AGREEMENT)
    if sure:
        # a pair the clerk confirmed is matched: its differences stay in the note
        status = "conflict" if c.differences and not confirmed else "matched"
        note = "; ".join(x for x in (c.differences, c.notes) if x)
    else:
        status = "possible_match"
        note = "; ".join(x for x in (c.notes, c.differences) if x)
    return Link(status, c.doj_id, c.court_id, c.match_key, c.score, note)
