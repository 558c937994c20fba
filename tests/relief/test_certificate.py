"""The confirmation of relief: printed for a person with relief ordered, its code checks out
against the order's recorded sha256, and a wrong or tampered code does not."""

from __future__ import annotations

import hashlib
import json

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.relief.certificate import print_certificate, verification_code, verify_code


def test_certificate_names_the_relief_and_the_code(relief_store, tmp_path):
    alpha = relief_store.book.people["ALPHA,ANNA MARIE"]
    cert = print_certificate(relief_store, alpha, tmp_path / "c.pdf", clerk="Clerk Counter",
                             issue_date="2026-03-04")
    reader = PdfReader(cert.path)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    order_id, code = next(iter(cert.codes.items()))
    sha = relief_store.conn.execute("SELECT sha256 FROM orders WHERE id = ?",
                                    (order_id,)).fetchone()[0]
    assert code == verification_code(order_id, sha, alpha)
    assert code in text
    assert "CONFIRMATION OF RELIEF" in text and "ANNA MARIE ALPHA" in text
    assert "COUNTY OF ALAMEDA" in text and "Dismissed and sealed" in text
    assert "Issued on March 4, 2026 by Clerk Counter, for Chad Finn" in text
    entry = relief_store.conn.execute(
        "SELECT entity_id, details FROM audit_log WHERE action = 'certificate.printed'").fetchone()
    assert entry["entity_id"] == alpha
    assert json.loads(entry["details"])["codes"] == [code]
    assert json.loads(entry["details"])["sha256"] == hashlib.sha256(
        cert.path.read_bytes()).hexdigest()


def test_code_verifies_and_detects_a_changed_order_file(relief_store, tmp_path):
    alpha = relief_store.book.people["ALPHA,ANNA MARIE"]
    cert = print_certificate(relief_store, alpha, tmp_path / "c.pdf")
    order_id, code = next(iter(cert.codes.items()))
    result = verify_code(relief_store, code.lower(), clerk="Clerk Check")
    assert result.valid and result.person_id == alpha and result.case_numbers == ["CASE-A1"]
    assert result.file_state == "matches"
    path = relief_store.conn.execute("SELECT path FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
    with open(path, "ab") as f:
        f.write(b"%tampered")
    assert verify_code(relief_store, code).file_state == "differs"
    # the code of another person on the same order number does not pass for this one
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert not verify_code(relief_store, wrong).valid
    actions = [r[0] for r in relief_store.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'certificate.verified' ORDER BY id")]
    assert [json.loads(a)["valid"] for a in actions] == [True, True, False]


def test_no_certificate_without_relief_ordered(relief_store, tmp_path):
    delta = relief_store.book.people["DELTA,DANA"]
    with pytest.raises(BadInput, match=f"person P{delta:06d} has no relief ordered"):
        print_certificate(relief_store, delta, tmp_path / "c.pdf")
    assert not (tmp_path / "c.pdf").exists()


def test_cli_certificate_and_verify(relief_store, tmp_path, capsys):
    out = tmp_path / "c.pdf"
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Ben Bravo",
                 "--dob", "1980-05-06", "--certificate", str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    code = lines[-1].split()[-1]
    assert lines[-2] == str(out) and out.is_file()
    assert main(["--db", str(relief_store.path), "verify-certificate", code]) == 0
    assert capsys.readouterr().out.startswith("valid: order No. ")
    assert main(["--db", str(relief_store.path), "verify-certificate", "99-AAAA-BBBB-CCCC"]) == 3
    assert main(["--db", str(relief_store.path), "verify-certificate", "nonsense"]) == 2


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_the_clerk_of_the_court_is_required(relief_store, tmp_path, capsys):
    alpha = relief_store.book.people["ALPHA,ANNA MARIE"]
    relief_store.set_setting("court.clerk", " ")
    with pytest.raises(BadInput, match=r"^the court profile is incomplete: fill in Clerk of the"
                       r" court before printing a confirmation of relief \(Tools ▸ Court"
                       " profile & settings"):
        print_certificate(relief_store, alpha, tmp_path / "c.pdf", clerk="Clerk Counter")
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Ben Bravo", "--dob",
                 "05/06/1980", "--certificate", str(tmp_path / "b.pdf")]) == 2
    assert "fill in Clerk of the court" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists() and not (tmp_path / "b.pdf").exists()


def test_the_issuing_clerk_is_the_name_the_court_set_never_the_login(relief_store, tmp_path,
                                                                     capsys):
    import getpass

    alpha = relief_store.book.people["ALPHA,ANNA MARIE"]
    if relief_store.login:  # a shared store: the clerk is who the database says
        cert = print_certificate(relief_store, alpha, tmp_path / "pg.pdf")
        assert cert.issued_by == relief_store.login
        assert f"by {relief_store.login}, for Chad Finn" in _text(cert.path)
        return
    relief_store.set_setting("review.clerk_name", "Dana Deputy")
    named = print_certificate(relief_store, alpha, tmp_path / "named.pdf",
                              issue_date="2026-03-04")
    assert named.issued_by == "Dana Deputy"
    assert "Issued on March 4, 2026 by Dana Deputy, for Chad Finn, Clerk" in _text(named.path)
    # no name set anywhere: a blank to write by hand, said so; the computer's login never
    relief_store.set_setting("review.clerk_name", "")
    blank = print_certificate(relief_store, alpha, tmp_path / "blank.pdf",
                              issue_date="2026-03-04")
    assert blank.issued_by is None
    text = _text(blank.path)
    assert f"Issued on March 4, 2026 by {'_' * 24}, for Chad Finn, Clerk" in text
    assert f" {getpass.getuser()} " not in f" {text} ".replace(",", " ")
    actor = relief_store.conn.execute("SELECT actor FROM audit_log WHERE action ="
                                      " 'certificate.printed' ORDER BY id DESC").fetchone()[0]
    assert actor  # the audit log still says who printed it
    out = tmp_path / "cli.pdf"
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Ben Bravo", "--dob",
                 "05/06/1980", "--certificate", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        "clerkapp: no clerk name is set (Tools ▸ Court profile & settings: Clerk name): the"
        " issuing clerk's name is left blank on the confirmation, to be written by hand, or"
        " give --by NAME")
    assert "_" * 24 in _text(out)
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Ben Bravo", "--dob",
                 "05/06/1980", "--certificate", str(out), "--by", "Erin Clerk"]) == 0
    assert capsys.readouterr().err == ""
    assert "by Erin Clerk, for Chad Finn" in _text(out)
