"""People relieved: the orders' test casebook, with orders printed for the approved cases so
convictions are ordered, and the court profile a notice needs."""

from __future__ import annotations

import pytest

from clerkapp.orders.service import print_orders
from tests.orders.conftest import Casebook, qsettings, set_profile, sign_all  # noqa: F401 - qsettings: the desk settings fixture


def relief_profile(store) -> None:
    set_profile(store, **{
        "court.clerk": "Chad Finn", "court.clerk_phone": "(510) 891-6000",
        "court.website": "www.alameda.courts.ca.gov",
        "defender.office": "Alameda County Public Defender",
        "defender.address": "1401 Lakeside Drive, Oakland, CA 94612",
        "defender.phone": "(510) 272-6600",
    })


@pytest.fixture
def relief_store(printed_store):
    """`printed_store` with every order recorded as signed today (the confirmation and the
    notices rest on the signed order)."""
    sign_all(printed_store)
    return printed_store


@pytest.fixture
def printed_store(store, tmp_path):
    """Orders printed for CASE-A1 (ALPHA: two counts dismissed), CASE-B2 (BRAVO: now a
    misdemeanor), CASE-G7 (GOLF: infraction, sentence running), one per case, none recorded
    as signed yet; CASE-D4 pending (DELTA), CASE-C3 denied (CHARLIE), CASE-E5 approved not
    eligible (ECHO). ALPHA has an address."""
    relief_profile(store)
    book = Casebook(store)
    book.conviction("CASE-A1", "ALPHA,ANNA MARIE", aliases=("ALPHA,ANN",))
    book.conviction("CASE-A1", "ALPHA,ANNA MARIE", section="HS 11360(a)", level="F", count="2")
    book.conviction("CASE-B2", "BRAVO,BEN", section="HS 11359", level="F", dob="1980-05-06",
                    cii="B22222222")
    book.conviction("CASE-C3", "CHARLIE,CARL", cii="C33333333")
    book.conviction("CASE-D4", "DELTA,DANA", cii="D44444444")
    book.conviction("CASE-E5", "ECHO,ERIN", outcome="not_eligible", cii="E55555555")
    book.conviction("CASE-G7", "GOLF,GINA", outcome="redesignate_infraction",
                    remedy="resentence", section="HS 11358", level="F", cii="G77777777")
    book.decide("CASE-A1", "approved")
    book.decide("CASE-B2", "approved", outcome="redesignate_misdemeanor", note="plants shown")
    book.decide("CASE-C3", "denied", note="not our case")
    book.decide("CASE-E5", "approved")
    book.decide("CASE-G7", "approved")
    with store.atomic():
        store.conn.execute("UPDATE people SET address = ? WHERE id = ?",
                           ("12 Oak Street\nOakland, CA 94607", book.people["ALPHA,ANNA MARIE"]))
    print_orders(store, tmp_path / "orders", operator="Clerk Test")
    store.book = book
    return store


def look_up_in(qtbot, dialog, name: str, dob: str = "", case: str = ""):
    """Type a look-up into the window, run it and wait: the LookupResult."""
    dialog.name_edit.setText(name)
    dialog.dob_edit.setText(dob)
    dialog.case_edit.setText(case)
    with qtbot.waitSignal(dialog.looked_up, timeout=30000) as blocker:
        dialog.lookup_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    return blocker.args[0]
