"""The clerk's word on a possible match: confirm it (one conviction from now on), reject it
(two convictions, one on each list only), and undo either. Each is one transaction with an
audit entry; the decision is kept by pair, so a rerun of the reconciliation honours it."""

from __future__ import annotations

import json

from clerkapp.errors import BadInput
from clerkapp.store import Store

CONFIRMED = "confirmed"
REJECTED = "rejected"


def decision_note(decision: str, clerk: str, note: str | None, before: str | None = "") -> str:
    """The note a decided pair's rows carry (the same on a rerun)."""
    head = f"confirmed by {clerk}" if decision == CONFIRMED else f"match rejected by {clerk}"
    return "; ".join(x for x in (head, note, before) if x)


def _case_number(store: Store, link: dict) -> str | None:
    ids = [i for i in (link.get("doj_id"), link.get("court_id")) if i]
    for conviction_id in ids:
        row = store.conn.execute("SELECT case_number FROM convictions WHERE id = ?",
                                 (conviction_id,)).fetchone()
        if row and row[0]:
            return str(row[0])
    return None


def _pair_link(store: Store, link_id: int) -> dict:
    link = store.link_by_id(link_id)
    if link is None:
        raise BadInput(f"there is no reconciliation row {link_id}")
    if not link["doj_id"] or not link["court_id"]:
        raise BadInput("only a pair of convictions can be confirmed or rejected; this row is "
                       f"{link['status'].replace('_', ' ')}")
    return link


def confirm(store: Store, link_id: int, *, clerk: str, note: str | None = None) -> int:
    """The two convictions are one: the pair becomes matched and the court's copy stops
    counting (the DOJ's, when only the court's was already decided). Returns the decision id."""
    from clerkapp.reconcile.service import _merged

    clerk = store.actor(_clerk(clerk))  # the login on a shared store: the notes name it too
    link = _pair_link(store, link_id)
    if link["status"] != "possible_match":
        raise BadInput(f"this pair is already {link['status'].replace('_', ' ')}")
    decided = {i for i, s in store.conviction_review_status(
        [link["doj_id"], link["court_id"]]).items() if s != "pending"}
    decided |= store.printed_conviction_ids([link["doj_id"], link["court_id"]])
    with store.atomic():
        decision_id = store.record_pair_decision(link, CONFIRMED, clerk, note)
        text = decision_note(CONFIRMED, clerk, note, link["note"])
        store.update_link(link_id, status="matched", note=text,
                          merged_id=_merged(link["doj_id"], link["court_id"], decided))
        store.audit(clerk, "reconcile_confirm", entity="reconcile_link", entity_id=link_id,
                    case_number=_case_number(store, link),
                    details=_details(link, decision_id, note))
    return decision_id


def reject_warning(store: Store, link_id: int) -> str:
    """What rejecting this pair would undo that a misclick should not: the pair, one
    conviction, already has an order in force; rejected, the court's copy becomes a
    conviction of its own, pending, that can be approved and ordered a second time. "" when
    neither side has one."""
    link = _pair_link(store, link_id)
    numbers = sorted(set(store.order_numbers_of([link["doj_id"], link["court_id"]]).values()))
    if not numbers:
        return ""
    return (f"This pair is one conviction, ordered already (Order No. {', '.join(numbers)})."
            " Rejecting it makes the court's record a conviction of its own, in the queue"
            " again, that can be approved and ordered a second time. Reject only if they are"
            " two convictions.")


def reject(store: Store, link_id: int, *, clerk: str, note: str | None = None) -> int:
    """The two convictions are different ones: the pair is split into a court-only and a
    DOJ-only row, neither merged. A matched or conflicting pair the matcher linked can be
    rejected too. Returns the decision id."""
    clerk = store.actor(_clerk(clerk))  # the login on a shared store: the notes name it too
    link = _pair_link(store, link_id)
    with store.atomic():
        decision_id = store.record_pair_decision(link, REJECTED, clerk, note)
        store.delete_links([link_id])
        text = decision_note(REJECTED, clerk, note)
        store.insert_links(link["run_id"], [
            (None, link["court_id"], "court_only", None, None, text, None),
            (link["doj_id"], None, "doj_only", None, None, text, None)])
        store.audit(clerk, "reconcile_reject", entity="reconcile_link", entity_id=link_id,
                    case_number=_case_number(store, link),
                    details=_details(link, decision_id, note))
    return decision_id


def undo(store: Store, *, clerk: str, decision_id: int | None = None) -> int:
    """Take back a confirmation or rejection (default: the clerk's latest): the pair is as
    the matcher left it. Returns the decision id undone."""
    clerk = store.actor(_clerk(clerk))  # the login on a shared store: the notes name it too
    if decision_id is None:
        decision_id = store.latest_pair_decision(clerk)
        if decision_id is None:
            raise BadInput("nothing to undo: no confirmation or rejection in force")
    decision = store.pair_decision(decision_id)
    if decision is None:
        raise BadInput(f"there is no decision {decision_id}")
    if decision["undone"]:
        raise BadInput("this decision was already undone")
    before = json.loads(decision["link"])
    with store.atomic():
        current = store.links_of_pair(decision["doj_id"], decision["court_id"])
        store.delete_links([r["id"] for r in current])
        restored = [tuple(before.get(k) for k in ("doj_id", "court_id", "status", "match_key",
                                                  "score", "note", "merged_id"))]
        pair = (decision["doj_id"], decision["court_id"])
        for r in current:  # a pair a later run made with one of the two: its other one alone
            if r["doj_id"] and r["court_id"] and (r["doj_id"], r["court_id"]) != pair:
                if r["doj_id"] != pair[0]:
                    restored.append((r["doj_id"], None, "doj_only", None, None, "", None))
                if r["court_id"] != pair[1]:
                    restored.append((None, r["court_id"], "court_only", None, None, "", None))
        store.insert_links(before["run_id"], restored)
        store.mark_pair_decision_undone(decision_id)
        store.audit(clerk, "reconcile_undo", entity="reconcile_decision", entity_id=decision_id,
                    case_number=_case_number(store, before),
                    details={"decision": decision["decision"], "doj_id": decision["doj_id"],
                             "court_id": decision["court_id"]})
    return decision_id


def _clerk(clerk: str) -> str:
    clerk = (clerk or "").strip()
    if not clerk:
        raise BadInput("a decision needs the clerk's name")
    return clerk


def _details(link: dict, decision_id: int, note: str | None) -> dict:
    return {"decision_id": decision_id, "doj_id": link["doj_id"], "court_id": link["court_id"],
            "status": link["status"], "match_key": link["match_key"], "score": link["score"],
            "note": note}
