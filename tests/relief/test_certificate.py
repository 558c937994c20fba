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
