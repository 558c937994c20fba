"""Builders for engine tests: PersonHistory objects made directly, no store."""

from __future__ import annotations

from datetime import date

from clerkapp.rules.engine import Context, Determination, evaluate_conviction
from clerkapp.rules.history import Conviction, Event, PersonHistory
from clerkapp.rules.law import parse_ref
from clerkapp.rules.policies import Policy, load_policy

DOB = "1980-06-15"  # 18 on 1998-06-15, 21 on 2001-06-15


def conv(id: int = 1, section: str | None = "HS 11359", level: str | None = "F", *,
         offense: str | None = "2005-06-15", convicted: str | None = "2005-09-01",
         source: str = "arrest date", attempted: bool = False, conspiracy: bool = False,
         **kw) -> Conviction:
    ref = parse_ref(section) if section else None
    if ref is not None and (attempted or conspiracy):
        from dataclasses import replace
        ref = replace(ref, attempted=attempted, conspiracy=conspiracy)
    kw.setdefault("cycle_key", f"cycle{id}")
    kw.setdefault("case_id", id)
    kw.setdefault("county", "SACRAMENTO")
    return Conviction(id=id, section=ref, level=level, conviction_date=convicted,
                      offense_date=offense, offense_date_source=source if offense else None, **kw)


def reg(event_date: str | None, section: str | None = "PC 290", kind: str = "registration") -> Event:
    return Event(kind, event_date, parse_ref(section) if section else None, section)


def person(*convictions: Conviction, dob: str | None = DOB, events=(), deceased=False) -> PersonHistory:
    return PersonHistory(1, dob, deceased, tuple(convictions), tuple(events))


def decide(p: PersonHistory, conviction_id: int = 1, *, policy: str | Policy = "statute",
           as_of: str = "2020-01-01", county: str = "") -> Determination:
    pol = policy if isinstance(policy, Policy) else load_policy(policy)
    ctx = Context(policy=pol, as_of=date.fromisoformat(as_of), county=county.casefold())
    c = next(c for c in p.convictions if c.id == conviction_id)
    return evaluate_conviction(c, p, ctx)


def texts(d: Determination) -> str:
    return " | ".join(r.text for r in d.reasons)
