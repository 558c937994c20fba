"""A letter never leaves a heading or half a signature alone at the foot of a page."""

from __future__ import annotations

from clerkapp.relief.letter_pdf import LetterLayout
from clerkapp.relief.templates import load_notice_templates

CONTACTS = [["Court clerk's office", "Superior Court", "111 Example Street", "Phone: 1"],
            ["Free legal help", "Public Defender", "210 Sample Avenue", "Phone: 2"]]


def page_of(layout: LetterLayout, text: str) -> int:
    """The page (0-based) on which `text` was set."""
    return next(i for i, ops in enumerate(layout.pages.pages) if any(text in str(op) for op in ops))


def fill_to(layout: LetterLayout, room: float) -> None:
    """Set filler lines until less than `room` points are left above the bottom margin."""
    while layout.pages.y - layout.pages.bottom >= room:
        layout.lines(["filler"])


def test_heading_stays_with_the_contacts_block():
    layout = LetterLayout(load_notice_templates(("en",))["en"])
    block = layout.columns_height(CONTACTS)
    fill_to(layout, layout.leading * 4 + 2)  # room for a heading and three lines, not the block
    assert layout.leading * 4 < block
    layout.heading("Questions? Contact", keep=block)
    layout.columns(CONTACTS)
    assert page_of(layout, "Questions? Contact") == page_of(layout, "Court clerk's office") == 1


def test_signature_lines_kept_together():
    layout = LetterLayout(load_notice_templates(("en",))["en"])
    fill_to(layout, layout.size * 1.3 * 1.5)  # room for one line of the two
    layout.lines(["Lee R. Ledger", "Clerk of the Superior Court"], together=True)
    assert page_of(layout, "Lee R. Ledger") == page_of(layout, "Clerk of the Superior") == 1
