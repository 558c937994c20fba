"""Notices to people relieved: one plain-language letter per person for the convictions whose
relief was ordered, in English, Spanish or both, addressed where the record has an address and
otherwise marked for the clerk's counter.

Each person's letter is recorded with the convictions it reports, its language, who printed it
and when (`notices`, audited); a conviction already reported in a language is not reported in
it again unless the clerk asks (`again`). File names carry a reference number and the case
number, never a name. Files go through `clerkapp.files.outputs`: written under temporary names,
recorded, then moved into place, so a failure, a cancel or a crash records nothing half-done.

A notice tells the person what the court ordered, so it reports only convictions whose order in
force is recorded as signed by the judge (per-case and bulk orders alike are signed: shared
docs/orders.md, sections 1, 2 and 5), dated the day of signing, as the DOJ update and the
confirmation of relief do; it says how many it left out and which orders await the signature
(`closeout.unsigned`), and they are in the next notices once the signing is recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path

from clerkapp.closeout.signing import HOW_TO_SIGN
from clerkapp.closeout.unsigned import unsigned_text
from clerkapp.domain.dates import option_date
from clerkapp.errors import BadInput
from clerkapp.files.outputs import OutputBatch, Recovery
from clerkapp.integrity import require_intact
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.orders.naming import safe_part
from clerkapp.orders.templates import fill
from clerkapp.relief.letter_pdf import (
    Letter,
    LetterLayout,
    court_letter_values,
    letters_pdf,
    level_word,
    long_date,
    require_profile,
)
from clerkapp.relief.templates import LetterTemplate, load_notice_templates
from clerkapp.store import Store
from clerkapp.store.notices import NewNotice, NoticeRow
from clerkapp.store.people import UNNUMBERED, PersonCard

LANG_CHOICES = ("en", "es", "both")
REQUIRED_PROFILE = {"court.county": "County", "court.address": "Court address",
                    "court.clerk_phone": "Clerk's office phone"}
_SHARES = (0.16, 0.2, 0.18, 0.24, 0.22)


@dataclass
class NoticesSummary:
    outdir: Path
    files: list[Path] = field(default_factory=list)
    people: int = 0
    notices: int = 0  # one per person and language
    mailed: int = 0  # people with an address on record
    counter: int = 0  # people without one: printed for the counter
    languages: tuple[str, ...] = ()
    recovered: Recovery = field(default_factory=Recovery)  # what an earlier crash left, cleaned
    unsigned: int = 0  # ordered convictions left out: their order is not recorded as signed
    awaiting: tuple[str, ...] = ()  # those orders' numbers (at most six)

    @property
    def unsigned_note(self) -> str:
        """What the notices left out, and why; empty when nothing was."""
        return notices_unsigned_text(self.unsigned, list(self.awaiting))


def notices_unsigned_text(count: int, numbers: list[str]) -> str:
    """`2 ordered conviction(s) left out: Order No. A not recorded as signed …`, or ""."""
    return unsigned_text(count, numbers, what="conviction(s)",
                         then="they are in the next notices")


def unsigned_for_notices(store: Store, languages: Sequence[str], *, since: str | None = None,
                         person_ids: Sequence[int] | None = None,
                         again: bool = False) -> tuple[int, list[str]]:
    """(convictions a notice run leaves out because their order awaits the judge's signature,
    those orders' numbers: at most six)."""
    left: dict[int, str] = {}
    for language in languages:
        for conviction_id, number in store.unsigned_notice_rows(
                language=language, since=since, person_ids=person_ids, again=again):
            left.setdefault(conviction_id, number)
    return len(left), list(dict.fromkeys(left.values()))[:6]


def languages_for(lang: str) -> tuple[str, ...]:
    lang = (lang or "en").strip().lower()
    if lang not in LANG_CHOICES:
        raise BadInput(f"--lang {lang!r}: choose en, es or both")
    return ("en", "es") if lang == "both" else (lang,)


def person_reference(person_id: int) -> str:
    """What a notice and its file are known by instead of the person's name."""
    return f"P{person_id:06d}"


def print_notices(
    store: Store,
    outdir: str | Path,
    *,
    lang: str = "en",
    since: str | None = None,
    combined: bool = False,
    again: bool = False,
    person_ids: Sequence[int] | None = None,
    operator: str | None = None,
    notice_date: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> NoticesSummary:
    """Write the notices and record them; BadInput when there is nothing to send."""
    languages = languages_for(lang)
    since = option_date(since, "--since")
    require_profile(store, REQUIRED_PROFILE, "notices", "court.clerk_phone")
    profile = store.settings_group("Court profile")
    templates = load_notice_templates(languages)
    if person_ids is not None:
        for pid in person_ids:
            if store.person_card(pid) is None:
                raise BadInput(f"person {person_reference(pid)} is not in the records")
            if store.ordered_conviction_count(pid) == 0:
                raise BadInput(f"person {person_reference(pid)} has no relief ordered:"
                               " there is no notice to print")
            if store.ordered_conviction_count(pid, signed=True) == 0:
                awaiting = unsigned_for_notices(store, languages, person_ids=[pid],
                                                again=True)[1]
                raise BadInput(f"person {person_reference(pid)}'s relief is in Order No."
                               f" {', '.join(awaiting)}, not recorded as signed by the judge"
                               " yet: a notice tells the person of the court's signed order;"
                               f" {HOW_TO_SIGN} first")
    by_person: dict[int, dict[str, list[NoticeRow]]] = {}
    for language in languages:
        rows = store.notice_rows(language=language, since=since, person_ids=person_ids,
                                 again=again)
        for pid, group in groupby(rows, key=lambda r: r.person_id):
            by_person.setdefault(pid, {})[language] = list(group)
    unsigned, awaiting = unsigned_for_notices(store, languages, since=since,
                                              person_ids=person_ids, again=again)
    if not by_person and unsigned:
        raise BadInput(f"nothing to print: {notices_unsigned_text(unsigned, awaiting)};"
                       " no notice was written")
    if not by_person:
        raise BadInput("every person with relief ordered"
                       + (f" since {since}" if since else "")
                       + " already has this notice (--again prints it again)")
    # the audit chain, and the decisions these letters report, as recorded (else refused)
    require_intact(store, "the notices", [r.conviction_id for rows in by_person.values()
                                           for lang_rows in rows.values() for r in lang_rows])
    folder = Path(outdir)
    today = notice_date or date.today().isoformat()
    courts = {lang_: court_letter_values(profile, t) for lang_, t in templates.items()}
    author = courts[languages[0]]["court.name"]
    cards = store.person_cards(list(by_person))
    numbers: dict[int, str] = {}
    summary = NoticesSummary(outdir=folder, languages=languages, unsigned=unsigned,
                             awaiting=tuple(awaiting))
    new: list[NewNotice] = []
    pending: list[tuple[int, list[Letter]]] = []
    total = len(by_person)
    # files under temporary names until the notices are recorded (clerkapp.files.outputs):
    # a failure, a cancel or a crash leaves no notice file the store does not record
    with OutputBatch(store, "notice", folder) as out:
        summary.recovered = out.recovered
        for done, (pid, per_lang) in enumerate(sorted(by_person.items()), start=1):
            check(cancel)
            card = cards[pid]
            letters = [render_notice(templates[lg], courts[lg], card, per_lang[lg], today,
                                     _order_numbers(store, per_lang[lg], numbers))
                       for lg in languages if lg in per_lang]
            summary.mailed += bool(card.address)
            summary.counter += not card.address
            if combined:
                pending.append((pid, letters))
            else:
                first_case = next(r.case_number for lg in languages if lg in per_lang
                                  for r in per_lang[lg])
                name = (f"notice_{person_reference(pid)}_{safe_part(first_case).upper() or 'NO-CASE'}"
                        f"_{'-'.join(lg for lg in languages if lg in per_lang)}.pdf")
                staged = out.write_bytes(name, letters_pdf(letters, _title(templates, languages),
                                                           author),
                                         label=f"the notice {person_reference(pid)}")
                new += _records(pid, per_lang, languages, templates, staged.final,
                                staged.sha256, card, combined=False, again=again)
            progress(done, total, "Preparing notices")
        if combined:
            check(cancel)
            name = f"notices_{safe_part(today)}_{len(pending)}-people_{'-'.join(languages)}.pdf"
            data = letters_pdf([letter for _, ls in pending for letter in ls],
                               _title(templates, languages), author)
            staged = out.write_bytes(name, data, label="the combined notices")
            for pid, _ in pending:
                new += _records(pid, by_person[pid], languages, templates, staged.final,
                                staged.sha256, cards[pid], combined=True, again=again)
        check(cancel)
        out.commit(lambda _files: store.record_notices(
            new, created_by=operator or store.clerk_name()))
    summary.files = [f.final for f in out.files]
    summary.people = len(by_person)
    summary.notices = len(new)
    progress(total, total, "Notices written")
    return summary


def render_notice(template: LetterTemplate, court: dict[str, str], card: PersonCard,
                  rows: Sequence[NoticeRow], notice_date: str,
                  order_numbers: dict[int, str]) -> Letter:
    """Lay out one person's letter in one language."""
    from clerkapp.domain.names import first_name_first

    values = {**court, "person.name": first_name_first(card.name),
              "person.address": card.address, "person.reference": person_reference(card.person_id),
              "notice.date": long_date(notice_date, template), "counts.total": str(len(rows))}
    page = LetterLayout(template)
    top = page.pages.y
    head = page.filled(template.get("letterhead.lines", []), values)
    page.lines(head[:1], bold=True)
    page.lines(head[1:], size=page.size - 1)
    below_head = page.pages.y
    page.pages.y = top - page.size * 1.3 * 2  # date and reference at the right, beside it
    page.lines(page.filled([template.get("letter.date_line", ""),
                            template.get("letter.reference_line", "")], values), align="right")
    page.pages.y = min(page.pages.y, below_head)
    page.gap(12)
    if card.address:  # where a window envelope shows it
        page.lines([values["person.name"], *card.address.upper().splitlines()])
    else:
        page.lines([template.get("letter.counter_label")], bold=True, size=page.size - 0.5)
        page.lines([values["person.name"]])
    page.gap(12)
    page.lines([fill(template.get("letter.title"), values)], bold=True, size=page.size + 2.5)
    page.gap(4)
    page.lines([fill(template.get("letter.greeting"), values)])
    page.gap(4)
    page.paragraph(fill(template.get("letter.intro"), values))
    table = []
    for r in rows:
        order = fill(template.get("letter.order_cell", "{order.date}, No. {order.number}"),
                     {"order.date": long_date(r.order_date, template),
                      "order.number": order_numbers.get(r.order_id, UNNUMBERED)})
        level = level_word(r.level, template)
        table.append([r.case_number, f"{r.code_section} ({level})" if level else r.code_section,
                      long_date(r.conviction_date, template),
                      template.relief(r.outcome, r.remedy), order])
    page.table(template.get("letter.table_columns"), table, _SHARES)
    conditions = _conditions(rows)
    page.heading(fill(template.get("meaning.heading", ""), values))
    for para in template.paragraphs("meaning"):
        if para.when in conditions:
            page.paragraph(fill(para.text, values), bold_lead=para.when != "always")
    page.heading(fill(template.get("copy.heading", ""), values))
    for para in template.paragraphs("copy"):
        text = page.filled([para.text], values)
        if text and para.when in conditions:
            page.paragraph(text[0])
    contacts = [page.filled(template.get(f"contacts.{k}", []), values)
                for k in ("court_lines", "defender_lines")]
    page.heading(fill(template.get("contacts.heading", ""), values),
                 keep=page.columns_height(contacts))
    page.columns(contacts)
    page.gap(8)
    page.lines(page.filled(template.get("letter.signature_lines", []), values), together=True)
    return page.finish(values)


def _conditions(rows: Sequence[NoticeRow]) -> set[str]:
    found = {"always"}
    for r in rows:
        found.add({"dismiss_and_seal": "dismissed", "redesignate_misdemeanor": "misdemeanor",
                   "redesignate_infraction": "infraction"}.get(r.outcome, ""))
        if r.remedy == "resentence":
            found.add("resentenced")
    return found


def _order_numbers(store: Store, rows: Sequence[NoticeRow], cache: dict[int, str]) -> dict[int, str]:
    for r in rows:
        if r.order_id not in cache:
            ref = store.order_ref(r.order_id)
            cache[r.order_id] = ref.number if ref else UNNUMBERED
    return cache


def _records(pid: int, per_lang: dict[str, list[NoticeRow]], languages: tuple[str, ...],
             templates: dict[str, LetterTemplate], path: Path, digest: str, card: PersonCard,
             *, combined: bool, again: bool) -> list[NewNotice]:
    return [NewNotice(pid, lg, str(path), digest, templates[lg].label,
                      [r.conviction_id for r in per_lang[lg]], bool(card.address), combined, again)
            for lg in languages if lg in per_lang]


def _title(templates: dict[str, LetterTemplate], languages: tuple[str, ...]) -> str:
    return " / ".join(str(templates[lg].get("letter.title")) for lg in languages)
