"""Per-case orders: real PDFs written, read back with pypdf, and the records they leave."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from pypdf import PdfReader

from clerkapp.errors import BadInput
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.orders.service import print_orders

APPROVED = {"CASE-A1", "CASE-B2", "CASE-F6", "CASE-G7"}
NOT_PRINTED = {"CASE-C3", "CASE-D4", "CASE-E5"}  # denied, pending, approved "not eligible"


def pdf_text(path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def by_case(summary) -> dict[str, tuple[int, str]]:
    out = {}
    for path in summary.files:
        out[path.stem.split("_")[0]] = pdf_text(path)
    return out


def test_one_file_per_approved_case_and_nothing_else(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path / "out", operator="Clerk Test")
    names = sorted(p.name for p in summary.files)
    # by case number: no person's name in the folder (the court may choose otherwise)
    assert names == ["CASE-A1.pdf", "CASE-B2.pdf", "CASE-F6.pdf", "CASE-G7.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == names
    assert summary.convictions == 5
    texts = by_case(summary)
    everything = " ".join(t for _, t in texts.values())
    for case in APPROVED:
        assert case in texts[case][1]
    for case in NOT_PRINTED:
        assert case not in everything
    for name in ("CHARLIE", "DELTA", "ECHO"):
        assert name not in everything


def test_page_numbers_caption_profile_and_footer(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path, operator="Clerk Test")
    for pages, text in by_case(summary).values():
        assert f"Page {pages} of {pages}" in text
        assert "SUPERIOR COURT OF CALIFORNIA, COUNTY OF ALAMEDA" in text
        assert "1225 Fallon Street, Oakland, CA 94612" in text
        assert "Hon. Ada Q. Testjudge" in text
        assert "Judge of the Superior Court" in text
        assert "per-case-order v2026.5" in text
        assert "notify the Department of Justice" in text
    text = by_case(summary)["CASE-A1"][1]
    assert "PEOPLE OF THE STATE OF CALIFORNIA v. ALPHA, ANNA MARIE" in text
    assert "AKA: ALPHA, ANN" in text
    assert "CASE-A1, OLD-99-1" in text  # every case number the record gives
    assert "02/03/1970" in text and "A12345678" in text


def test_relief_words_follow_the_approved_outcome(court_store, tmp_path):
    texts = {case: text for case, (_, text) in by_case(print_orders(court_store, tmp_path)).items()}
    dismissed = texts["CASE-A1"]
    assert dismissed.count("Dismissed as legally invalid and sealed") == 2
    assert "record of conviction is ordered sealed" in dismissed
    assert "HS 11361.8(f); HS 11361.9" in dismissed
    assert "section 11590" not in dismissed  # the court's switch, off by default
    assert "for all purposes" not in dismissed
    # the clerk overrode the engine's dismissal: the order follows the clerk
    override = texts["CASE-B2"]
    assert "Redesignated as a misdemeanor" in override
    assert "for all purposes" in override
    assert "Dismissed as legally invalid" not in override
    assert "ordered sealed" not in override
    # the determination's authority cited PC 1385
    assert "PC 1385; HS 11361.9" in texts["CASE-F6"]
    # sentence still running: recalled and resentenced under 11361.8(b)
    running = texts["CASE-G7"]
    assert "Recalled and resentenced as an infraction" in running
    assert "HS 11361.8(b)" in running
    assert "credit for time already served" in running


def test_orders_order_items_and_audit_are_recorded(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path, operator="Clerk Test")
    rows = court_store.conn.execute("SELECT * FROM orders ORDER BY id").fetchall()
    assert len(rows) == 4
    for row, path in zip(rows, summary.files, strict=True):
        assert row["kind"] == "single" and row["path"] == str(path)
        assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert row["template"] == "per-case-order v2026.5"
        assert row["created_by"] == court_store.actor("Clerk Test") and row["reprint"] == 0
    items = court_store.conn.execute("SELECT count(*) FROM order_items").fetchone()[0]
    assert items == 5
    audit = court_store.conn.execute(
        "SELECT * FROM audit_log WHERE action = 'order.printed.single' ORDER BY id").fetchall()
    assert [a["case_number"] for a in audit] == ["CASE-A1", "CASE-B2", "CASE-F6", "CASE-G7"]
    details = json.loads(audit[0]["details"])
    assert details["reprint"] is False and details["convictions"] == 2
    assert "ALPHA" not in audit[0]["details"]  # the audit names the file's case, not the person
    assert court_store.verify_audit_chain() is None
    # "was this case's order printed, and when?"
    history = court_store.case_order_history("CASE-A1")
    assert len(history) == 1 and history[0].path.endswith("CASE-A1.pdf")
    assert court_store.case_order_history("CASE-C3") == []


def test_printing_again_is_refused_unless_the_court_supersedes(court_store, tmp_path):
    out = tmp_path / "out"
    first = print_orders(court_store, out, operator="Clerk Test")
    numbers = sorted(o.order_number for o in first.orders)
    with pytest.raises(BadInput) as refused:
        print_orders(court_store, out, operator="Clerk Test")
    message = str(refused.value)
    assert message.startswith("5 of the 5 conviction(s) to print already have an order in force")
    assert all(f"Order No. {n} (per-case," in message for n in numbers)
    assert "--supersede REASON" in message and "--unprinted" in message
    assert len(list(out.iterdir())) == 4  # nothing new written
    second = print_orders(court_store, out, operator="Clerk Test",
                          supersede="the first papers were lost before the judge signed")
    assert second.reprints == 4 and first.reprints == 0
    assert sorted(n for o in second.orders for n in o.supersedes) == numbers
    assert {p.name for p in second.files} == {p.name.replace(".pdf", "_2.pdf") for p in first.files}
    assert all(p.exists() for p in first.files)  # an earlier order file is never overwritten
    flags = [r[0] for r in court_store.conn.execute("SELECT reprint FROM orders ORDER BY id")]
    assert flags == [0, 0, 0, 0, 1, 1, 1, 1]
    cid = court_store.conn.execute(
        "SELECT id FROM convictions WHERE case_number = 'CASE-B2'").fetchone()[0]
    assert len(court_store.order_history(cid)) == 2
    # the court paper does not say REPRINT; it names the order it supersedes
    text = pdf_text(second.files[0])[1]
    assert "REPRINT" not in text.upper()
    assert f"supersedes Order No. {second.orders[0].supersedes[0]} as to the count(s)" in text
    assert f"supersedes Order No. {first.orders[0].order_number}" not in pdf_text(
        first.files[0])[1]
    # the record names the superseded order: the order items, the audit entry, the order in force
    details = json.loads(court_store.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'order.printed.single'"
        " ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert details["supersede_reason"] == "the first papers were lost before the judge signed"
    last = second.orders[-1]
    assert details["supersedes"] == {last.supersedes[0]: last.conviction_count}
    in_force = court_store.order_in_force_of([cid])
    assert court_store.order_number(in_force[cid]) in {o.order_number for o in second.orders}
    replaced = court_store.conn.execute(
        "SELECT count(*) FROM order_items WHERE supersedes_order_id IS NOT NULL").fetchone()[0]
    assert replaced == 5
    with pytest.raises(BadInput, match="not printed before"):
        print_orders(court_store, out, only_unprinted=True)


def test_selected_convictions_only(court_store, casebook, tmp_path):
    ids = casebook.by_case["CASE-B2"] + casebook.by_case["CASE-C3"]  # denied one is ignored
    summary = print_orders(court_store, tmp_path, conviction_ids=ids)
    assert [p.name for p in summary.files] == ["CASE-B2.pdf"]


def test_the_court_may_name_files_with_the_person(court_store, tmp_path):
    with court_store.atomic():
        court_store.set_setting("orders.file_names", "case-name")
    summary = print_orders(court_store, tmp_path / "out")
    assert sorted(p.name for p in summary.files) == [
        "CASE-A1_ALPHA-ANNA.pdf", "CASE-B2_BRAVO-BEN.pdf", "CASE-F6_FOXTROT-FRED.pdf",
        "CASE-G7_GOLF-GINA.pdf"]


def test_only_approved_status_and_a_court_profile(court_store, store, tmp_path):
    with pytest.raises(BadInput, match="only for approved decisions"):
        print_orders(court_store, tmp_path, status="denied")
    court_store.set_setting("court.judge", "")
    with pytest.raises(BadInput, match="court profile is incomplete: fill in Judge"):
        print_orders(court_store, tmp_path)
    assert not list(tmp_path.glob("*.pdf"))
    assert court_store.table_counts()["orders"] == 0


def test_nothing_approved_is_a_clear_error(store, casebook, court_profile, tmp_path):
    court_profile(store)
    casebook.conviction("CASE-P1", "PENDING,PAT")
    casebook.conviction("CASE-D2", "DENIED,DAN")
    casebook.decide("CASE-D2", "denied")
    with pytest.raises(BadInput, match="no approved convictions with relief"):
        print_orders(store, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cancel_leaves_no_files_and_no_records(court_store, tmp_path):
    token = CancelToken()
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done >= 2:
            token.cancel()

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        print_orders(court_store, out, progress=progress, cancel=token)
    assert seen and list(out.iterdir()) == []
    assert court_store.table_counts()["orders"] == 0
    assert court_store.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action LIKE 'order.%'").fetchone()[0] == 0


def test_unwritable_file_names_the_folder_and_case_not_the_person(court_store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "CASE-B2.pdf").mkdir()  # a folder where the file would go: not overwritten
    summary = print_orders(court_store, out)
    assert "CASE-B2_2.pdf" in {p.name for p in summary.files}
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder")
    with pytest.raises(BadInput) as err:
        print_orders(court_store, blocker / "sub", supersede="printed again")
    assert "cannot create the output folder" in str(err.value)
    assert "ALPHA" not in str(err.value) and "BRAVO" not in str(err.value)


def test_write_failure_removes_written_files_and_keeps_names_out(court_store, tmp_path, monkeypatch):
    from clerkapp.files.outputs import OutputBatch

    real = OutputBatch._create
    calls = []

    class Failing:  # the third file's disk is full when its bytes are written
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(28, "No space left on device")

    def failing(self, staged, label="the file"):
        calls.append(staged.final.name)
        handle = real(self, staged, label)
        return Failing(handle) if len(calls) == 3 else handle

    monkeypatch.setattr(OutputBatch, "_create", failing)
    out = tmp_path / "out"
    with pytest.raises(BadInput) as err:
        print_orders(court_store, out)
    message = str(err.value)
    assert message == f"{out}: cannot write the order for case CASE-F6: No space left on device"
    assert list(out.iterdir()) == []  # the two written before were removed, temporary names too
    assert court_store.table_counts()["orders"] == 0


def test_a_court_orders_relief_for_its_own_county_only(store, casebook, court_profile,
                                                       tmp_path, capsys):
    """A decision made under an earlier, all-county evaluation stays, but another county's
    conviction is never printed under this court's name; the clerk is told how many."""
    from clerkapp.cli.main import main

    court_profile(store)  # Alameda
    casebook.conviction("AL-1", "OWN,ONE", county=" alameda ")
    casebook.conviction("LA-1", "OTHER,TWO", county="LOS ANGELES")
    casebook.decide("AL-1", "approved")
    casebook.decide("LA-1", "approved")
    assert store.count_other_county_relief() == 1
    summary = print_orders(store, tmp_path / "one")
    assert [p.stem.split("_")[0] for p in summary.files] == ["AL-1"]
    assert (summary.convictions, summary.other_county) == (1, 1)

    with pytest.raises(BadInput, match=r"for Alameda county \(1 are from other counties"):
        print_orders(store, tmp_path / "none", conviction_ids=casebook.by_case["LA-1"])
    db = str(store.path)
    store.close()
    assert main(["--db", db, "orders", str(tmp_path / "cli"), "--supersede", "again"]) == 0
    assert "1 approved conviction(s) from other counties were not printed" in \
        capsys.readouterr().err


def test_an_approval_whose_order_was_printed_cannot_be_undone(store, casebook, court_profile,
                                                              tmp_path):
    from clerkapp.review.service import decide, undo

    court_profile(store)
    casebook.conviction("AL-7", "SEVEN,SAM")
    casebook.conviction("AL-8", "EIGHT,EVE")
    printed = decide(store, casebook.by_case["AL-7"], "approved", clerk="Clerk")
    kept = decide(store, casebook.by_case["AL-8"], "approved", clerk="Clerk")
    print_orders(store, tmp_path, conviction_ids=casebook.by_case["AL-7"])
    with pytest.raises(BadInput, match="an order was printed for case AL-7 after this approval"):
        undo(store, printed, clerk="Clerk")
    assert store.conn.execute("SELECT review_status FROM convictions WHERE case_number ="
                              " 'AL-7'").fetchone()[0] == "approved"
    assert undo(store, kept, clerk="Clerk") == 1  # never printed: undone as before
