"""Entering a fact the record lacks (a name, a case number) so a conviction can be approved
and printed: nothing is granted or printed for a person the record does not name."""

from __future__ import annotations

from clerkapp.errors import BadInput
from clerkapp.store import Store
from clerkapp.store.corrections import CORRECTABLE, Correction

FIELD_WORDS = {"name": "name", "case_number": "case number"}


def correct(store: Store, conviction_id: int, field: str, value: str, *, reason: str,
            clerk: str) -> Correction:
    """Record the clerk's correction (audited); BadInput, nothing written, when the field is
    not one a clerk may enter, or the value, the reason or the clerk's name is empty."""
    field = (field or "").strip().lower().replace(" ", "_")
    value, reason, clerk = (value or "").strip(), (reason or "").strip(), (clerk or "").strip()
    if field not in CORRECTABLE:
        raise BadInput(f"a correction enters a name or a case number, not {field!r}")
    if not value:
        raise BadInput(f"the {FIELD_WORDS[field]} to enter is empty")
    if not reason:
        raise BadInput("a correction needs a reason (where the fact comes from)")
    if not clerk:
        raise BadInput("a correction needs the clerk's name")
    state = store.review_states([conviction_id]).get(conviction_id)
    if state is None:
        raise BadInput(f"no conviction with id {conviction_id}")
    with store.atomic():
        done = store.add_correction(conviction_id, field, value, reason=reason, clerk=clerk)
        store.audit(clerk, "conviction.corrected", entity="conviction", entity_id=conviction_id,
                    case_number=value if field == "case_number" else state.case_number,
                    details={"field": field, "reason": reason})
    return done


def missing_text(missing: list[str]) -> str:
    """`no name` / `no name and no case number`."""
    return " and ".join(f"no {FIELD_WORDS[f]}" for f in missing)
