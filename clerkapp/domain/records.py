"""What the importers hand to the store: plain records, free of files and SQL.

Every importer (DOJ research file, BEAR result file, court or prosecutor spreadsheet) turns
its rows into these, so the store and the rules see one shape whatever the source.
Dates are ISO text: `YYYY-MM-DD`, or partial `YYYY` / `YYYY-MM` when the source gave no
day or month (never invented).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A normalized code section: `HS 11357(c)` is code `HS`, number `11357`, subs `("c",)`."""

    code: str  # "HS", "PC", "VC", "BP", "WI", "MV", "FG", "WC", ...
    number: str  # "11357", "11357.5", "667.61"
    subs: tuple[str, ...] = ()  # lowercase letters / digits: ("a", "2")
    attempted: bool = False  # PC 664 attempt
    conspiracy: bool = False  # PC 182 conspiracy

    @property
    def text(self) -> str:
        """The normalized form, code first: `HS 11360(a)(2)`."""
        return f"{self.code} {self.number}" + "".join(f"({s})" for s in self.subs)


@dataclass
class PersonRecord:
    """One person as a source file describes them; `key` groups rows into a person.

    Keys: `doj:<SUBJECT_ID>`, `cii:<CII>`, or `name:<LAST,FIRST>|<dob>` for sheets without CII.
    """

    key: str
    name: str | None = None  # "LAST,FIRST MIDDLE" as the source spells it
    dob: str | None = None  # ISO or partial ISO
    cii: str | None = None
    gender: str | None = None
    race: str | None = None
    aliases: list[str] = field(default_factory=list)
    address: str | None = None  # mailing address, lines joined by a newline


@dataclass
class ConvictionRecord:
    """One convicted count, built from one or more source rows (sentence parts add up)."""

    person_key: str
    source_rows: list[int]  # row numbers in the imported file (1-based, as a spreadsheet shows)
    count_key: str | None = None  # DOJ CNT_ORDER, or None
    cycle_key: str | None = None  # DOJ CYC_ORDER: one arrest episode; None when unknown
    case_numbers: list[str] = field(default_factory=list)
    county: str | None = None
    court: str | None = None
    raw_offense: str | None = None  # the offense text exactly as read
    comment_text: str | None = None  # DOJ COMMENT_TEXT when it carried the charge
    section: Section | None = None  # None when the text could not be parsed
    level: str | None = None  # "F", "M", "I" or None when unknown
    disposition: str | None = None
    conviction_date: str | None = None
    offense_date: str | None = None  # the offense, or the arrest date standing in for it
    offense_date_source: str | None = None  # "offense date" | "arrest date" | None
    sentence_text: str | None = None  # "JAIL 90 D; PROBATION 3 Y"
    sentence_days: int | None = None  # total of the parts; None when unknown
    sentence_end: str | None = None  # conviction date + sentence; None when unknown
    prosecutor_outcome: str | None = None  # from a BEAR result file, mapped to an outcome
    prosecutor_reason: str | None = None  # BEAR's text, verbatim
    flags: list[str] = field(default_factory=list)  # importer notes for the rules ("set aside PC 1203.4")


@dataclass
class PersonEvent:
    """Something in a person's history that is not a conviction: registrations, deaths, dismissals."""

    person_key: str
    kind: str  # "registration" | "deceased" | "dismissed" | "arrest"
    source_row: int
    event_date: str | None = None
    section: Section | None = None
    text: str | None = None
    cycle_key: str | None = None
    county: str | None = None


@dataclass
class RowError:
    """A row-level problem that does not stop an import; it is kept, never dropped."""

    row_number: int
    column: str | None
    value: str | None
    message: str


@dataclass
class ParsedBatch:
    """One batch of a file as a parser hands it to the import: the raw rows exactly as read
    plus the records built from them. Batches end on person boundaries where the parser can
    tell (DOJ: SUBJECT_ID)."""

    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row_number, cell texts)
    people: list[PersonRecord] = field(default_factory=list)
    convictions: list[ConvictionRecord] = field(default_factory=list)
    events: list[PersonEvent] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # person key of each row, aligned with `rows`, where the parser knows it (DOJ: every row
    # of a person, arrests included); rows left out are linked through their records instead
    row_person_keys: list[str | None] = field(default_factory=list)
    # rows left out because they are not records (reason -> count: blank, repeated header,
    # footer), and notes left on records (a row's county differing from the file's)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: int = 0
    # no cell holds a control character or a backslash (the parser checked the file's bytes),
    # so flattening skips looking for them (`clerkapp.store.flatten.encode_plain`)
    plain: bool = False
