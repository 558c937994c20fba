"""What the engine sees of one person: their convictions and the events that are not
convictions, as plain frozen records (the store builds them; tests build them directly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from clerkapp.domain.dates import DateRange, date_range
from clerkapp.rules.law import SectionRef

CANNABIS_SECTIONS = frozenset({"11357", "11358", "11359", "11360"})

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 (named like the functools one it stands for)
    """functools.cached_property without its lock (Python 3.11 takes one on every first
    read, a good part of a run's cost over a few hundred thousand records): these records
    are read by one thread, and computing a value twice would only give it twice."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass(eq=False)
class Conviction:
    """One convicted count with its normalized section (None when the text was unreadable).

    Treated as read-only. Not frozen: a run builds a few hundred thousand of these, and a
    frozen dataclass's constructor costs twice as much; compared and hashed by identity."""

    id: int
    section: SectionRef | None = None
    level: str | None = None  # F | M | I | None
    conviction_date: str | None = None
    offense_date: str | None = None  # the offense, or the arrest date standing in
    offense_date_source: str | None = None  # "offense date" | "arrest date"
    cycle_key: str | None = None
    case_id: int | None = None
    case_number: str | None = None
    county: str | None = None
    sentence_end: str | None = None
    sentence_text: str | None = None
    raw_offense: str | None = None
    comment_text: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def is_cannabis(self) -> bool:
        """HS 11357-11360 and their subsections; not 11357.5, 11359.5 and the like."""
        s = self.section
        return s is not None and s.code == "HS" and s.number in CANNABIS_SECTIONS

    @cached_property
    def conviction_day(self) -> DateRange | None:
        return date_range(self.conviction_date)

    @cached_property
    def offense_day(self) -> DateRange | None:
        return date_range(self.offense_date)

    @property
    def stand_in(self) -> tuple[DateRange | None, str]:
        """The date standing for the offense, and its name for reasons."""
        if self.offense_day is not None:
            return self.offense_day, self.offense_date_source or "offense date"
        return self.conviction_day, "conviction date"

    def with_section(self, section: SectionRef | None) -> Conviction:
        """This conviction read as `section` (an attempt as its target, a wrapper as the
        section its text names): dataclasses.replace's result, without its cost, and keeping
        the dates already worked out."""
        other = object.__new__(Conviction)
        other.__dict__.update(self.__dict__)
        other.section = section
        return other

    def same_case(self, other: Conviction) -> bool:
        """Same court case (or, when the record lacks cases, the same arrest cycle)."""
        if self.case_id is not None and self.case_id == other.case_id:
            return True
        if self.case_number and other.case_number and \
                self.case_number.strip().upper() == other.case_number.strip().upper():
            return True
        return self.cycle_key is not None and self.cycle_key == other.cycle_key

    @property
    def label(self) -> str:
        """How reasons name this conviction: `HS 11359 on 2010-03-05`."""
        what = self.section.text if self.section else (self.raw_offense or "unreadable offense")
        return f"{what} on {self.conviction_date or 'an unknown date'}"


@dataclass(frozen=True)
class Event:
    """A registration, death, dismissed count or arrest."""

    kind: str
    event_date: str | None = None
    section: SectionRef | None = None
    text: str | None = None
    cycle_key: str | None = None

    @cached_property
    def day(self) -> DateRange | None:
        return date_range(self.event_date)


@dataclass(frozen=True)
class PersonHistory:
    person_id: int
    dob: str | None = None
    deceased: bool = False
    convictions: tuple[Conviction, ...] = ()
    events: tuple[Event, ...] = field(default_factory=tuple)
    # what the exception checks work out once per person (exceptions.py), not per count
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def dob_day(self) -> DateRange | None:
        return date_range(self.dob)
