"""The confirmation of relief a clerk prints at the counter, and the check of its code.

One page: the court, the person, each conviction whose relief was ordered (case, section,
level, relief, order date and number), and per order a verification code derived from the
sha256 recorded when the order was printed, bound to the person. Whoever is shown the paper
can ask the clerk's office to check the code (`verify_code`): it names the order and the
convictions it covers for that person, and whether the order file still has that hash.

A per-case order (CR-403) and a bulk order alike are papers the judge signs (shared
docs/orders.md, 1: "Signature: date plus judicial officer"; 2: one bulk motion "signed by a
judge"; 5: `order.date`, `judicial_officer`): until the signing is
recorded (`closeout.signing.mark_signed`) clerkapp holds a printed paper, not the court's
order. So the confirmation lists only convictions whose order in force is recorded as signed,
dated the day it was signed, and says how many it left out and which orders await the
signature; with none signed it is refused.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from clerkapp.closeout.signing import HOW_TO_SIGN
from clerkapp.domain.names import first_name_first
from clerkapp.errors import BadInput
from clerkapp.files.outputs import OutputBatch
from clerkapp.integrity import require_intact
from clerkapp.jobs import CancelToken, Progress, no_progress
from clerkapp.orders.naming import display_date
from clerkapp.orders.templates import fill
from clerkapp.relief.letter_pdf import (
    LetterLayout,
    court_letter_values,
    letters_pdf,
    level_word,
    long_date,
    require_profile,
)
from clerkapp.relief.notices import person_reference
from clerkapp.relief.templates import CERTIFICATE_TEMPLATE, load_letter
from clerkapp.store import Store
from clerkapp.store.people import ConvictionStanding, OrderRef

_CODE = re.compile(r"^\s*(\d+)-([A-Z2-7]{4})-?([A-Z2-7]{4})-?([A-Z2-7]{4})\s*$")
_SHARES = (0.14, 0.13, 0.12, 0.13, 0.22, 0.12, 0.14)
# what a confirmation cannot do without: it names the county and is issued for its clerk
REQUIRED_PROFILE = {"court.county": "County", "court.clerk": "Clerk of the court"}
BLANK_NAME = "_" * 24  # the issuing clerk's name, to be written by hand
# when a court's copy of the template has no `certificate.vacated_line`
VACATED_LINE = ("Order No. {vacated.number} was vacated as to case {case.number} by Order No."
                " {order.number} of {order.date}, the order in force listed above.")
NO_CLERK_NAME = ("no clerk name is set (Tools ▸ Court profile & settings: Clerk name): the"
                 " issuing clerk's name is left blank on the confirmation, to be written by hand")


def verification_code(order_id: int, order_sha256: str, person_id: int) -> str:
    """`<order id>-XXXX-XXXX-XXXX`: 60 bits of sha256(order's recorded sha256, person), base32
    (no 0/1/8/9 to misread). Only the court's record of the order can produce it."""
    digest = hashlib.sha256(f"clerkapp-relief:{order_sha256}:{person_id}".encode()).digest()
    text = base64.b32encode(digest).decode("ascii")[:12]
    return f"{order_id}-{text[:4]}-{text[4:8]}-{text[8:]}"


@dataclass
class Certificate:
    path: Path
    person_id: int
    codes: dict[int, str]  # order id -> code
    convictions: int
    issued_by: str | None = None  # None: no clerk name set, left blank to write by hand
    unsigned: int = 0  # convictions left out: their order is not recorded as signed
    awaiting: tuple[str, ...] = ()  # those orders' numbers

    @property
    def unsigned_note(self) -> str:
        """What the confirmation left out, and why; empty when nothing was."""
        if not self.unsigned:
            return ""
        return (f"{self.unsigned} conviction(s) with relief ordered are not on the confirmation:"
                f" Order No. {', '.join(self.awaiting)} is not recorded as signed by the judge"
                f" yet; {HOW_TO_SIGN}, then print the confirmation again")


@dataclass
class Verification:
    valid: bool
    message: str
    order: OrderRef | None = None
    person_id: int | None = None
    case_numbers: list[str] = field(default_factory=list)
    file_state: str = ""  # "matches" | "differs" | "missing" | ""
    vacated_by: list[str] = field(default_factory=list)  # "Order No. B of D (reason)"


def print_certificate(store: Store, person_id: int, out_path: str | Path, *,
                      clerk: str | None = None, issue_date: str | None = None,
                      progress: Progress = no_progress,
                      cancel: CancelToken | None = None) -> Certificate:
    """Write the confirmation for a person with relief ordered; audited."""
    card = store.person_card(person_id)
    if card is None:
        raise BadInput(f"person {person_reference(person_id)} is not in the records")
    standings = store.person_standings(person_id)
    ordered = [s for s in standings if s.order is not None and s.relief]
    if not ordered:
        # reconciled with the other list's record, where the decision and the order are
        elsewhere = sorted({(s.linked.side.upper() if s.linked.side == "doj" else "court",
                             person_reference(s.linked.person_id)) for s in standings
                            if s.linked is not None and s.linked.standing is not None
                            and s.linked.standing.order is not None})
        raise BadInput(f"person {person_reference(person_id)} has no relief ordered"
                       + (" on this record: its conviction is reconciled with "
                          + ", ".join(f"{side} record {ref}" for side, ref in elsewhere)
                          + ", where the relief was ordered; print the confirmation for "
                          + ", ".join(ref for _side, ref in elsewhere) if elsewhere else
                          ": there is nothing to confirm"))
    awaiting = tuple(sorted({s.order.number for s in ordered
                             if s.order is not None and not s.order.signed_on}))
    signed = [s for s in ordered if s.order is not None and s.order.signed_on]
    if not signed:
        raise BadInput(f"person {person_reference(person_id)}'s relief is in Order No."
                       f" {', '.join(awaiting)}, not recorded as signed by the judge yet: a"
                       f" confirmation of relief rests on the signed order; {HOW_TO_SIGN}"
                       " first")
    unsigned, ordered = len(ordered) - len(signed), signed
    require_profile(store, REQUIRED_PROFILE, "a confirmation of relief", "court.clerk")
    require_intact(store, "the confirmation of relief", [s.conviction_id for s in ordered])
    template = load_letter(CERTIFICATE_TEMPLATE, "certificate")
    issued_by = issuing_clerk(store, clerk)
    clerk = issued_by or store.clerk_name()  # who the audit log records
    today = issue_date or date.today().isoformat()
    values = {**court_letter_values(store.settings_group("Court profile"), template),
              "person.name": first_name_first(card.name),
              "person.dob": long_date(card.dob, template) if card.dob else "",
              "issue.date": long_date(today, template), "issue.clerk": issued_by or BLANK_NAME}
    orders = {s.order.order_id: s.order for s in ordered if s.order is not None}
    codes = {oid: verification_code(oid, o.sha256, person_id) for oid, o in orders.items()}
    letter = _layout(template, values, ordered, orders, codes)
    data = letters_pdf([letter], str(template.get("template.title")), values["court.name"])
    target = Path(out_path)
    with OutputBatch(store, "certificate", target.parent or Path(".")) as out:
        staged = out.write_bytes(target.name, data, overwrite=True,
                                 label=f"the confirmation for {person_reference(person_id)}")
        out.commit(lambda _files: store.audit(
            clerk, "certificate.printed", entity="person", entity_id=person_id,
            details={"orders": sorted(orders), "codes": sorted(codes.values()),
                     "left_out_unsigned": unsigned,
                     "convictions": [s.conviction_id for s in ordered],
                     "sha256": staged.sha256}))
    progress(1, 1, "Confirmation written")
    return Certificate(target, person_id, codes, len(ordered), issued_by, unsigned, awaiting)


def issuing_clerk(store: Store, given: str | None) -> str | None:
    """The name printed as the clerk who issues the confirmation: the name given (`--by`),
    else on a shared store the database login (the clerk's name there), else the clerk name
    set in Settings. None when none is set: the line is left blank for the clerk to write by
    hand, never filled with the computer's login name."""
    name = (given or "").strip() or (store.login or "").strip()
    return name or str(store.get_setting("review.clerk_name") or "").strip() or None


def _layout(template, values, ordered: list[ConvictionStanding], orders: dict[int, OrderRef],
            codes: dict[int, str]):
    page = LetterLayout(template)
    head = page.filled(template.get("letterhead.lines", []), values)
    page.lines(head[:1], bold=True, align="center", size=page.size + 1)
    page.lines(head[1:], align="center", size=page.size - 0.5)
    page.gap(14)
    page.lines([template.get("template.title")], bold=True, size=page.size + 5, align="center")
    page.lines([fill(template.get("certificate.subtitle", ""), values)], align="center")
    page.gap(14)
    page.paragraph(fill(template.get("certificate.intro"), values))
    page.lines(page.filled(template.get("certificate.identity", []), values), bold=True)
    page.gap(8)
    rows = []
    for s in ordered:
        order = s.order
        assert order is not None
        rows.append([s.case_number, s.code_section, display_date(s.conviction_date),
                     level_word(s.level, template), template.relief(s.relief, s.remedy),
                     display_date(order.date), order.number])
    page.table(template.get("certificate.table_columns"), rows, _SHARES)
    for line in vacated_lines(template, values, ordered):
        page.paragraph(line, after=3)
    kinds = {{"dismiss_and_seal": "dismissed", "redesignate_misdemeanor": "misdemeanor",
              "redesignate_infraction": "infraction"}[s.relief] for s in ordered}
    for para in template.paragraphs("meaning"):
        if para.when == "always" or para.when in kinds:
            page.paragraph(fill(para.text, values), after=3)
    page.heading(template.get("verification.heading"))
    page.paragraph(fill(template.get("verification.text"), values))
    for oid, order in sorted(orders.items()):
        line = fill(template.get("verification.line"),
                    {**values, "order.number": order.number,
                     "order.date": long_date(order.date, template),
                     "verification.code": codes[oid]})
        page.lines([line], bold=True)
    page.gap(12)
    for line in page.filled(template.get("issued.lines", []), values):
        page.paragraph(line, after=3)
    page.gap(30)
    x = page.margin + page.inner / 2
    page.pages.line(x, page.pages.y, page.margin + page.inner, page.pages.y, 0.6)
    page.lines([template.get("issued.signature", "")], x=x, width=page.inner / 2)
    return page.finish(values)


def vacated_lines(template, values, ordered: list[ConvictionStanding]) -> list[str]:
    """One line per earlier order a later one vacated as to these convictions, naming the
    order in force: the person may hold the vacated paper."""
    text = str(template.get("certificate.vacated_line") or VACATED_LINE)
    lines: list[str] = []
    for s in ordered:
        for v in s.vacated:
            if s.order is None or v.by_order_id != s.order.order_id:
                continue
            line = fill(text, {**values, "vacated.number": v.number,
                               "case.number": s.case_number or "(none)",
                               "order.number": s.order.number,
                               "order.date": long_date(s.order.date, template)})
            if line not in lines:
                lines.append(line)
    return lines


def verify_code(store: Store, code: str, *, clerk: str | None = None) -> Verification:
    """Check a confirmation's code against the court's record of orders; audited."""
    m = _CODE.match((code or "").upper().replace(" ", ""))
    if not m:
        raise BadInput(f"{code!r} is not a verification code (it reads like 123-ABCD-EFGH-JKLM)")
    order_id = int(m.group(1))
    wanted = f"{order_id}-{m.group(2)}-{m.group(3)}-{m.group(4)}"
    order = store.order_ref(order_id)
    result = Verification(False, "no order of the court has this code")
    if order is not None:
        for person_id, conviction_ids in store.order_people(order_id).items():
            if verification_code(order_id, order.sha256, person_id) == wanted:
                standings = [s for s in store.person_standings(person_id)
                             if s.conviction_id in set(conviction_ids)]
                vacated = [v for s in standings for v in s.vacated if v.order_id == order_id]
                by = list(dict.fromkeys(
                    f"Order No. {v.by_number} of {v.by_date}"
                    + (f" ({v.reason})" if v.reason else "") for v in vacated))
                message = f"valid: order No. {order.number} of {order.date}"
                if vacated:
                    gone = len({v.conviction_id for v in vacated})
                    message += (f"; since vacated as to {gone} of this person's"
                                f" {len(conviction_ids)} conviction(s) on it by"
                                f" {'; '.join(by)}: that order is the one in force for them")
                result = Verification(
                    True, message, order, person_id,
                    sorted({s.case_number for s in standings if s.case_number}),
                    _file_state(order), by)
                break
    with store.atomic():
        store.audit(clerk or store.clerk_name(), "certificate.verified", entity="person",
                    entity_id=result.person_id,
                    details={"order": order_id, "valid": result.valid})
    return result


def _file_state(order: OrderRef) -> str:
    path = Path(order.path)
    if not path.is_file():
        return "missing"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return "matches" if digest == order.sha256 else "differs"
