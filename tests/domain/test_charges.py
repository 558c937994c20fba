"""`parse_charge`: the section a charge text names wherever it stands (issue 12, point 3).

A conspiracy (PC 182) or attempt (PC 664), or both, whose target is named only in the
description is the target with both flags, as `182/11359` is (prop64-rules.md step 7); a
COMMENT_TEXT charge with a label, an abbreviation or a description around it is read as the
offense text is."""

from __future__ import annotations

import pytest

from clerkapp.domain.charges import parse_charge

# (text as read, normalized section or None, attempted, conspiracy)
CHARGES = [
    # targets named only in the description
    ("182(A)(1) PC-CONSPIRACY 11359 HS", "HS 11359", False, True),
    ("664/182 PC-ATT CONSPIRACY 11360 HS", "HS 11360", True, True),
    ("182/664 PC 11359 HS", "HS 11359", True, True),
    ("664 PC-ATTEMPT 11359 HS", "HS 11359", True, False),
    ("182(A)(1) PC-CONSPIRACY/11360(A) HS", "HS 11360(a)", False, True),
    ("182PC-CONSPIRACY:11359HS", "HS 11359", False, True),
    ("664 PC-ATT 459 PC BURGLARY", "PC 459", True, False),
    # the forms parse_section already read stay as they were
    ("182 PC/11359 HS", "HS 11359", False, True),
    ("664/187 PC", "PC 187", True, False),
    ("11359 HS POSS FOR SALE", "HS 11359", False, False),
    ("182.5 PC", "PC 182.5", False, False),
    # no target: the conspiracy itself
    ("182 PC", "PC 182", False, False),
    ("182(A)(1) PC-CONSPIRACY TO COMMIT CRIME", "PC 182(a)(1)", False, False),
    ("182 PC CONSP 01/02/2005 2 CTS", "PC 182", False, False),  # a date is not a target
    # a charge with words around it (COMMENT_TEXT)
    ("CHARGE: 11359 HS-POSS", "HS 11359", False, False),
    ("CHG: HS 11359", "HS 11359", False, False),
    ("POSS 11357 HS", "HS 11357", False, False),
    ("CONV 11360(A) HS TRANSPORT", "HS 11360(a)", False, False),
    ("AMENDED TO 11357(B) HS ON 03/12/2010", "HS 11357(b)", False, False),
    ("PC-CONSP 182/11359", "HS 11359", False, True),
    ("DUI 23152(A) VC", "VC 23152(a)", False, False),
    # nothing that reads as a charge
    ("LOCAL ORD 12-3", None, False, False),
    ("POSS MARIJUANA", None, False, False),
    ("SEE COMMENT FOR CHARGE", None, False, False),
    ("SENTENCED 03/12/2010 TO 90 DAYS", None, False, False),
    ("", None, False, False),
]


@pytest.mark.parametrize(("text", "section", "attempted", "conspiracy"), CHARGES)
def test_parse_charge(text, section, attempted, conspiracy):
    got = parse_charge(text)
    if section is None:
        assert got is None
        return
    assert got is not None
    assert (got.text, got.attempted, got.conspiracy) == (section, attempted, conspiracy)
