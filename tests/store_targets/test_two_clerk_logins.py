"""Two clerks with logins of their own on one shared PostgreSQL store (roles.sql as court IT
runs it): "Next pending" hands them different convictions, the second to decide one is told
the first clerk's login, and an undo never takes back the other clerk's later decision."""

from __future__ import annotations

import psycopg
import pytest

from clerkapp.errors import DecidedElsewhere
from clerkapp.review.claims import ClaimSession
from clerkapp.review.service import decide, undo
from clerkapp.store import Store
from store_targets.test_roles import (
    as_login,
    court,  # noqa: F401 - the fixture: a court's database
)


@pytest.fixture
def two_clerks(court):  # noqa: F811
    url, ann_url, _reader = court
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname ="
                     " 'clerk_cy') THEN CREATE ROLE clerk_cy LOGIN IN ROLE clerkapp_clerk;"
                     " END IF; END $$")
    ann, cy = Store(ann_url), Store(as_login(url, "clerk_cy"))
    yield ann, cy
    cy.close()
    ann.close()


def test_two_logins_get_different_convictions_and_the_second_decision_names_the_first(
        two_clerks):
    ann, cy = two_clerks
    first = ClaimSession(ann, "typed name").claim_next()
    second_session = ClaimSession(cy, "typed name")
    second = second_session.claim_next()
    assert first is not None and second not in (None, first)
    held = second_session.held_by_others()
    assert held[first].clerk == "clerk_ann"  # the login, whatever name was typed
    seen = cy.current_review_ids([first])
    decide(ann, [first], "deferred", clerk="typed name")
    with pytest.raises(DecidedElsewhere, match="deferred by clerk_ann at "):
        decide(cy, [first], "approved", clerk="typed name", expected_review_ids=seen)


def test_an_undo_never_takes_back_the_other_logins_later_decision(two_clerks):
    ann, cy = two_clerks
    cid = ann.relief_pending_ids()[0]
    mine = decide(ann, [cid], "deferred", clerk="x")
    decide(cy, [cid], "approved", clerk="x")
    with pytest.raises(DecidedElsewhere, match="approved by clerk_cy at .*nothing was undone"):
        undo(ann, mine, clerk="x")
    assert ann.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                            (cid,)).fetchone()[0] == "approved"
