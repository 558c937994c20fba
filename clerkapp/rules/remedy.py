"""Step 6: which remedy a granted conviction takes, from its sentence end (HS 11361.8)."""

from __future__ import annotations

from datetime import date

from clerkapp.domain.dates import date_range
from clerkapp.domain.outcomes import Reason, Remedy
from clerkapp.rules.history import Conviction


def remedy_for(c: Conviction, as_of: date) -> tuple[Remedy, Reason]:
    end = date_range(c.sentence_end)
    if end is None:
        return Remedy.REDESIGNATE, Reason(
            "sentence_unknown", "Sentence end not in the record; the sentence is assumed"
            " complete", "HS 11361.8(e)", "info")
    if end.first > as_of:
        return Remedy.RESENTENCE, Reason(
            "sentence_running", f"Sentence ends {end.text}, after {as_of.isoformat()}: recall"
            " and resentence", "HS 11361.8(a)-(b)", "info")
    if end.last > as_of:
        return Remedy.REDESIGNATE, Reason(
            "sentence_partial", f"Sentence end ({end.text}) may be after {as_of.isoformat()};"
            " assumed complete", "HS 11361.8(e)", "info")
    return Remedy.REDESIGNATE, Reason(
        "sentence_complete", f"Sentence completed ({end.text})", "HS 11361.8(e)", "info")
