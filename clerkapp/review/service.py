"""The clerk's decisions on determinations: approve, deny, defer, override, and undo.

One call is one decision act (a batch): every conviction in it gets a `reviews` row, its review
state on `convictions`, and an audit entry, all in one transaction, so a bulk approval of
100,000 rows lands whole or not at all, and Undo takes the whole act back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from clerkapp.domain.outcomes import LEVEL_WORDS, Outcome, ReviewStatus, redesignation_lowers
from clerkapp.errors import BadInput, DecidedElsewhere
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.review.corrections import missing_text
from clerkapp.store import Store
from clerkapp.store.base import now_iso
from clerkapp.store.reviews import NewReview

_STEP = 2000  # audit entries between progress reports and cancel checks
DECISIONS = (ReviewStatus.APPROVED, ReviewStatus.DENIED, ReviewStatus.DEFERRED)


def decide(
    store: Store,
    conviction_ids: Iterable[int],
    status: str,
    *,
    clerk: str,
    note: str | None = None,
    outcome: str | None = None,
    expected_review_ids: Mapping[int, int | None] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> str:
    """Record one decision act; returns its batch id (what `undo` takes).

    `outcome` overrides the engine's outcome for every conviction in the act; a denial or an
    override needs a reason in `note` (the order file and the audit log carry it).
    `expected_review_ids`: the review each conviction had when the clerk looked at it (its
    `review_id`, None when undecided); when another clerk decided any of them since, the
    whole act is refused with DecidedElsewhere and nothing is written. Without it, the
    reviews read at the start of this call are expected.
    `progress`/`cancel` serve bulk acts run in the background: a cancel rolls the act back.
    """
    ids = list(dict.fromkeys(int(i) for i in conviction_ids))
    status = _check_status(status)
    clerk = (clerk or "").strip()
    note = (note or "").strip() or None
    override = _check_outcome(outcome)
    if not clerk:
        raise BadInput("a decision needs the clerk's name")
    if not ids:
        raise BadInput("no convictions to decide")
    if status == ReviewStatus.DENIED and not note:
        raise BadInput("a denial needs a reason")
    states = store.review_states(ids)
    missing = [i for i in ids if i not in states]
    if missing:
        raise BadInput(f"no conviction with id {missing[0]}" + _more(len(missing)))
    if override is not None and not note and any(states[i].outcome != override for i in ids):
        raise BadInput("overriding the outcome needs a reason")
    if status == ReviewStatus.APPROVED and override is not None:
        not_lower = [i for i in ids if not redesignation_lowers(override, states[i].level)]
        if not_lower:
            level = states[not_lower[0]].level
            raise BadInput(
                f"{_named(states[not_lower[0]].case_number)} is already"
                f" {LEVEL_WORDS[level]}: {Outcome(override).label.lower()} would not lower it"
                " (HS 11361.8(b), (f): a felony is redesignated as a misdemeanor or infraction,"
                " a misdemeanor as an infraction); choose another outcome"
                + _more(len(not_lower)))
    # "needs review" is a question, not an outcome: approving it means choosing the outcome
    open_questions = [i for i in ids if states[i].outcome == "needs_review" and override is None]
    if status == ReviewStatus.APPROVED and open_questions:
        raise BadInput(
            f"{_named(states[open_questions[0]].case_number)} needs review: approve it with"
            " the outcome you decide, or deny or defer it" + _more(len(open_questions))
        )
    if status == ReviewStatus.APPROVED and (lacking := store.missing_facts(ids)):
        first, lacks = next(iter(lacking.items()))
        raise BadInput(
            f"{_named(states[first].case_number)} has {missing_text(lacks)} in the record: enter"
            " it as a correction first (nothing is granted for a person the record does not"
            " name)" + _more(len(lacking)))
    unevaluated = [i for i in ids if states[i].outcome is None and override is None]
    if status == ReviewStatus.APPROVED and unevaluated:
        raise BadInput(
            f"{_named(states[unevaluated[0]].case_number)} has no determination yet"
            " (imported after the last evaluation); run the"
            " evaluation first" + _more(len(unevaluated))
        )
    batch_id = uuid.uuid4().hex
    at = now_iso()
    reviews = []
    for cid in ids:
        state = states[cid]
        decided = override or state.outcome
        reviews.append(NewReview(
            conviction_id=cid,
            determination_id=state.determination_id,
            status=str(status),
            decided_outcome=decided,
            overridden=override is not None and override != state.outcome,
            clerk=clerk,
            decided_at=at,
            note=note,
            batch_id=batch_id,
            previous_review_id=state.review_id,
        ))
    total = len(reviews)
    seen = {cid: states[cid].review_id for cid in ids}
    if expected_review_ids is not None:
        seen.update({int(k): v for k, v in expected_review_ids.items() if int(k) in seen})
    with store.atomic():
        # read again under the write lock: another clerk's decision since is never replaced
        store.require_unchanged(seen)
        review_ids = store.insert_reviews(reviews)
        for done, (rid, review) in enumerate(zip(review_ids, reviews, strict=True)):
            if done % _STEP == 0:
                check(cancel)
                progress(done, total, f"Recording {status.value} decisions")
            details = {
                "review_id": rid,
                "status": review.status,
                "outcome": review.decided_outcome,
                "engine_outcome": states[review.conviction_id].outcome,
                "overridden": review.overridden,
                "previous_status": states[review.conviction_id].review_status,
                "batch": batch_id,
                "batch_size": len(reviews),
            }
            if note:
                details["note"] = note
            store.audit(
                clerk, f"review.{review.status}", entity="conviction",
                entity_id=review.conviction_id,
                case_number=states[review.conviction_id].case_number, details=details,
            )
        store.release_decided(ids)
        check(cancel)
    progress(total, total, f"Recorded {total:,} {status.value} decisions")
    return batch_id


def undo(store: Store, batch_id: str, *, clerk: str) -> int:
    """Take back one decision act: each conviction returns to its previous review (or pending).

    Refuses when a conviction has been decided again since, so a later decision is never lost;
    undo that later act first. Another clerk's later decision is named (DecidedElsewhere),
    also when it lands while this undo runs. Returns how many convictions were restored.
    """
    clerk = (clerk or "").strip()
    if not clerk:
        raise BadInput("an undo needs the clerk's name")
    items = store.batch_reviews(batch_id)
    if not items:
        raise BadInput(f"no decision act {batch_id!r}")
    if all(b.undone for b in items):
        raise BadInput("that decision act was already undone")
    moved = [b for b in items if b.current_review_id != b.review_id]
    seen = {b.conviction_id: b.review_id for b in items}
    others = [c for c in store.changed_since_seen({b.conviction_id: b.review_id for b in moved})
              if c.by and c.by not in (clerk, store.actor(clerk))]
    if others:
        raise DecidedElsewhere(others, undo=True)
    if moved:
        raise BadInput(
            f"conviction {moved[0].conviction_id} was decided again after this act;"
            " undo the later decision first"
        )
    printed = store.printed_since_approval(batch_id)
    if printed:
        which = f"case {printed[0]}" if printed[0] else "a conviction without a case number"
        raise BadInput(
            f"an order was printed for {which} after this approval" + _more(len(printed))
            + "; undoing it would leave a printed order with no approval behind it. If the"
            " order is wrong, deny the conviction with a reason (the printed order stays"
            " on record)")
    with store.atomic():
        store.require_unchanged(seen, undo=True)  # nothing decided meanwhile is taken back
        store.revert_reviews(items)
        for b in items:
            store.audit(
                clerk, "review.undone", entity="conviction", entity_id=b.conviction_id,
                case_number=b.case_number,
                details={
                    "review_id": b.review_id,
                    "undone_status": b.status,
                    "restored_status": b.previous_status or "pending",
                    "batch": batch_id,
                },
            )
    return len(items)


def _check_status(status: str) -> ReviewStatus:
    try:
        value = ReviewStatus(str(status).strip().lower())
    except ValueError:
        value = None
    if value not in DECISIONS:
        allowed = ", ".join(s.value for s in DECISIONS)
        raise BadInput(f"unknown decision {status!r}; use one of {allowed}")
    return value


def _check_outcome(outcome: str | None) -> str | None:
    if outcome is None or not str(outcome).strip():
        return None
    try:
        return Outcome(str(outcome).strip().lower()).value
    except ValueError:
        allowed = ", ".join(o.value for o in Outcome)
        raise BadInput(f"unknown outcome {outcome!r}; use one of {allowed}") from None


def _named(case_number: str | None) -> str:
    """How a refusal names a conviction: by its case, never by an internal id."""
    return f"the conviction in case {case_number}" if case_number else \
        "a conviction without a case number"


def _more(n: int) -> str:
    return f" (and {n - 1} more)" if n > 1 else ""
