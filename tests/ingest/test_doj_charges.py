"""Issue 12, point 3 in the DOJ importer: a charge with words around it in COMMENT_TEXT, and
a conspiracy or attempt whose target is named only in the description, are read as the
offense text is (prop64-rules.md step 7)."""

from __future__ import annotations

import pytest

from tests.ingest.test_doj import conviction_row, parse, write

# (OFFENSE_DESCR, COMMENT_TEXT, section, attempted, conspiracy, flags)
CHARGES = [
    ("SEE COMMENT FOR CHARGE", "CHARGE: 11359 HS-POSS FOR SALE", "HS 11359", False, False,
     ["offense_from_comment"]),
    ("SEE COMMENT FOR CHARGE", "POSS 11357(C) HS OVER 1 OZ", "HS 11357(c)", False, False,
     ["offense_from_comment"]),
    ("SEE COMMENT FOR CHARGE", "CONV: 664/11360(A) HS ATT TRANSPORT", "HS 11360(a)", True, False,
     ["offense_from_comment"]),
    ("", "AMENDED CHG 11358 HS CULTIVATION", "HS 11358", False, False, ["offense_from_comment"]),
    ("182(A)(1) PC-CONSPIRACY 11359 HS", "", "HS 11359", False, True, []),
    ("664/182 PC-ATT CONSPIRACY 11360 HS", "", "HS 11360", True, True, []),
    ("182(A)(1) PC-CONSPIRACY", "", "PC 182(a)(1)", False, False, []),
]


@pytest.mark.parametrize(("offense", "comment", "section", "attempted", "conspiracy", "flags"),
                         CHARGES)
def test_the_charge_is_read_where_it_stands(tmp_path, offense, comment, section, attempted,
                                            conspiracy, flags):
    row = conviction_row(OFFENSE_DESCR=offense, COMMENT_TEXT=comment)
    _, _, (c,), _, errors = parse(write(tmp_path / "c.csv", [row]))
    assert errors == []
    assert (c.section.text, c.section.attempted, c.section.conspiracy) == \
        (section, attempted, conspiracy)
    assert c.flags == flags
