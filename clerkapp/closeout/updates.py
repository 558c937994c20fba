"""Write the DOJ disposition update and the case-system update, and record what they reported.

One row per granted count whose order is recorded as signed (`closeout.unsigned`: the others
are counted and named, not reported) and not yet in an update of that kind (every one with
`include_all`), in the columns of the layout in `forms/`; a count an earlier file reported
otherwise comes back as a correction, and a relief reported that no longer stands as a
withdrawal (`closeout.corrections`). The file is written under a
temporary name, recorded (`update_files`, `update_items`, the audit log) and moved into place
in one transaction: a failure leaves neither a file nor a record. Nothing to write is not an
error: the summary says so and no file is created.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from clerkapp.closeout.corrections import check_withdrawal_codes, summary_note, with_corrections
from clerkapp.closeout.court_numbers import in_court_numbers
from clerkapp.closeout.layout import (
    DEFAULT_LAYOUTS,
    SENSITIVE,
    WITHDRAWN,
    UpdateLayout,
    load_layout,
)
from clerkapp.closeout.profile_gaps import profile_gaps
from clerkapp.closeout.unsigned import unsigned_counts, unsigned_text
from clerkapp.domain.closeout import RELIEF_LABELS, relief_of, resulting_level
from clerkapp.domain.dates import option_date
from clerkapp.errors import BadInput, DoneElsewhere
from clerkapp.integrity import require_intact
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.orders.counts import count_number, load_resulting
from clerkapp.store import Store
from clerkapp.store.update_rows import NewUpdateFile, UpdateFile, UpdateRow

ATTEMPTS = 3  # writings made again when another clerk reported the same counts meanwhile
KIND_NAMES = {"doj": "DOJ update", "cms": "case-system update"}
# source-record headers that hold each identifier; PRI_ (the DOJ's own) before REQ_ (as asked)
_IDENTIFIER_HEADERS = {
    "ssn": re.compile(r"(^|[^A-Z])SSN([^A-Z]|$)|SOCIAL.?SEC", re.IGNORECASE),
    "cdl": re.compile(r"(^|[^A-Z])CDL([^A-Z]|$)|DRIVER|LICEN[CS]E", re.IGNORECASE),
    "fbi": re.compile(r"FBI", re.IGNORECASE),
}


@dataclass(frozen=True)
class UpdateSummary:
    """What an update run did: the file written and its rows, or why nothing was written."""

    kind: str
    path: Path | None
    rows: int
    message: str
    record: UpdateFile | None = None


def check_output(out: str | Path) -> Path:
    path = Path(out)
    if path.suffix.lower() not in {".csv", ".xlsx"}:
        raise BadInput("an update file must end in .csv or .xlsx", file=str(path))
    return path


def check_since(since: str | None) -> str | None:
    return option_date(since, "--since")


def write_update(
    store: Store,
    kind: str,
    out: str | Path,
    *,
    layout: str | Path | None = None,
    since: str | None = None,
    include_all: bool = False,
    operator: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> UpdateSummary:
    """Write the `kind` ("doj" or "cms") update to `out` (.csv or .xlsx)."""
    path = check_output(out)
    since = check_since(since)
    # counts are reported to the DOJ only from a store that matches its audit log
    require_intact(store, f"the {KIND_NAMES[kind]}")
    spec = load_layout(layout or DEFAULT_LAYOUTS[kind], kind)
    what = KIND_NAMES[kind]
    if not store.any_order_printed():
        return UpdateSummary(kind, None, 0, f"no order has been printed yet: there is nothing"
                             f" for a {what}; no file was written")
    elsewhere: DoneElsewhere | None = None
    for _ in range(ATTEMPTS):  # again when another clerk reported the same counts meanwhile
        seen_file = store.last_update_file_id()
        progress(0, None, f"Reading the counts for the {what}")
        rows = with_corrections(store, kind, list(store.iter_update_rows(
            kind, since=since, include_all=include_all)))
        if kind == "cms":  # the court's system knows a reconciled pair by the court's number
            rows = in_court_numbers(store, rows)
        unsigned = unsigned_text(*unsigned_counts(store, kind, since=since,
                                                  include_all=include_all))
        if not rows:
            where = f" with an order dated {since} or later" if since else ""
            again = "" if include_all else " (asking for all of them writes them again)"
            told = f" ({elsewhere})" if elsewhere else ""
            if unsigned:
                return UpdateSummary(kind, None, 0, f"nothing to write for the {what}:"
                                     f" {unsigned}; no file was written"
                                     + summary_note(store, kind, rows))
            return UpdateSummary(kind, None, 0, f"nothing new for the {what}{told}: every"
                                 f" ordered count{where} is in an earlier one{again}; no file"
                                 " was written" + summary_note(store, kind, rows))
        check_withdrawal_codes(spec, rows)
        court = store.settings_group("Court profile")
        identifiers = _identifier_reader(store) if spec.fields & SENSITIVE else None
        lines = _cells(spec, rows, court, identifiers, progress, cancel)
        try:
            record = _write_and_record(store, path, spec, lines, NewUpdateFile(
                kind, str(path), "", spec.label, rows, since, include_all),
                operator or store.clerk_name(), seen_file)
        except DoneElsewhere as exc:
            if include_all:  # all of them again, twice at once: the clerk decides
                raise BadInput(f"{exc}: nothing was written; write it again if both are"
                               " wanted") from None
            elsewhere = exc
            continue
        break
    else:
        raise BadInput(f"other clerks kept writing the {what} meanwhile: nothing was"
                       " written; write it again")
    progress(len(rows), len(rows), f"{what} written")
    told = f"; {elsewhere}, so those were left out" if elsewhere else ""
    return UpdateSummary(kind, path, len(rows), f"{len(rows):,} count(s) written to the {what}"
                         f" {path}" + summary_note(store, kind, rows)
                         + _empty_profile_note(spec, court, rows) + told
                         + (f"; {unsigned}" if unsigned else ""), record)


def _empty_profile_note(spec: UpdateLayout, court: Mapping[str, object],
                        rows: list[UpdateRow]) -> str:
    """After writing, the columns the court profile left empty (the dialog and the command
    say it before, `closeout.profile_gaps`; the clerk chose to write anyway)."""
    gaps = profile_gaps(spec, court, [r.judge for r in rows])
    if not gaps:
        return ""
    return (f"; note: column(s) {', '.join(g.column for g in gaps)} are empty: the court"
            " profile (Tools ▸ Court profile & settings, or `clerkapp settings`) lacks the"
            " value")


def void_update(store: Store, file_number: int | str, reason: str, *,
                operator: str | None = None, kind: str | None = None) -> UpdateFile:
    """Void an update file the DOJ or the case system never took: its counts are to be
    reported again (the next update holds them). A reason is required; audited. `kind`: the
    kind the clerk asked through (`cms-update --void N`); a file of the other kind is refused,
    as both kinds share one numbering and each command's --history lists its own only."""
    reason = (reason or "").strip()
    try:
        file_id = int(str(file_number).strip().lstrip("#"))
    except ValueError:
        raise BadInput(f"--void {file_number!r}: give the update file's number"
                       " (--history lists them)") from None
    found = store.update_file(file_id)
    if found is None or found.kind not in KIND_NAMES:
        raise BadInput(f"no update file numbered {file_id} (--history lists them)")
    if kind is not None and found.kind != kind:
        command = {"doj": "doj-update", "cms": "cms-update"}[found.kind]
        raise BadInput(f"update file {file_id} is a {KIND_NAMES[found.kind]}, not a"
                       f" {KIND_NAMES[kind]}: void it with clerkapp {command} --void {file_id}"
                       " if that is the one meant; nothing was voided")
    if found.voided_at:
        raise BadInput(f"update file {file_id} was voided on {found.voided_at[:10]} already")
    if not reason:
        raise BadInput("voiding an update file needs a reason (--reason TEXT)")
    return store.void_update_file(file_id, reason, voided_by=operator or store.clerk_name())


def row_values(spec: UpdateLayout, row: UpdateRow, court: Mapping[str, object]) -> dict[str, str]:
    """Every field a layout may name, for one count (identifiers apart)."""
    relief = relief_of(row.outcome, row.remedy)
    withdrawn = row.action == "withdrawal"  # the relief reported no longer stands

    def text(key: str) -> str:
        return str(court.get(key) or "").strip()

    before = relief_of(row.previous_outcome, row.remedy) if row.previous_outcome else None
    values = {
        "cii": row.cii, "name": row.name, "dob": spec.date(row.dob),
        "court_name": text("court.name"), "court_code": text("court.code"),
        "county": row.county, "case_number": row.case_number,
        "case_numbers": "; ".join(row.case_numbers), "count": count_number(row.count),
        "count_key": row.count,
        "original_section": row.code_section, "original_level": row.level,
        "conviction_date": spec.date(row.conviction_date),
        "relief": spec.relief_codes.get(relief, ""), "relief_text": RELIEF_LABELS[relief],
        "disposition": spec.dispositions.get(relief, ""),
        "sealed": spec.sealed["yes" if row.outcome == "dismiss_and_seal" else "no"],
        "resulting_section": resulting_section(row),
        "resulting_level": resulting_level(row.outcome),
        "order_date": spec.date(row.order_date), "order_number": row.order_number,
        "judicial_officer": row.judge or text("court.judge"),
        "action": spec.actions.get(row.action, row.action),
        "previous_order_number": row.previous_order_number,
        "previous_relief": spec.relief_codes.get(before, "") if before else "",
    }
    if withdrawn:  # the original conviction stands again: no relief, no resulting offense
        values.update({
            "relief": spec.relief_codes.get(WITHDRAWN, ""), "relief_text": "Relief withdrawn",
            "disposition": spec.dispositions.get(WITHDRAWN, ""), "sealed": spec.sealed["no"],
            "resulting_section": "", "resulting_level": ""})
    return values


def resulting_section(row: UpdateRow) -> str:
    """The offense the count becomes, as the printed order names it (clerkapp.orders.counts:
    the law's table, resources/law/resulting_offenses.json); empty once dismissed."""
    found = load_resulting().of(row.outcome, row.section_number, row.section_subs,
                                dob=row.dob, offense_date=row.offense_date,
                                conviction_date=row.conviction_date, attempted=row.attempted,
                                conspiracy=row.conspiracy)
    return found.text.rsplit(", ", 1)[0] if found.text else ""


def _cells(spec: UpdateLayout, rows: list[UpdateRow], court: Mapping[str, object],
           identifiers, progress: Progress, cancel: CancelToken | None) -> list[list[str]]:
    out = []
    for n, row in enumerate(rows):
        if n % 2000 == 0:
            check(cancel)
            progress(n, len(rows), "Preparing the rows")
        values = row_values(spec, row, court)
        if identifiers is not None:
            values.update(identifiers(row.source_row_ids))
        out.append(spec.cells(values))
    return out


def _identifier_reader(store: Store):
    """SSN, CDL and FBI numbers of a count's source rows: asked for by the layout only."""
    def read(row_ids: Iterable[int]) -> dict[str, str]:
        found: dict[str, str] = {}
        for headers, values in store.source_identifiers(list(row_ids)):
            ranked = sorted(range(len(headers)),
                            key=lambda i: 0 if str(headers[i]).upper().startswith("PRI") else 1)
            for field, pattern in _IDENTIFIER_HEADERS.items():
                if found.get(field):
                    continue
                for i in ranked:
                    value = str(values[i]).strip() if i < len(values) and values[i] else ""
                    if pattern.search(str(headers[i])) and value and value.upper() != "NULL":
                        found[field] = value
                        break
        return found
    return read


def _write_and_record(store: Store, path: Path, spec: UpdateLayout, lines: list[list[str]],
                      new: NewUpdateFile, operator: str, seen_file: int) -> UpdateFile:
    """Write under a temporary name, record, then move into place (`clerkapp.files.outputs`):
    a crash leaves neither an unrecorded file nor a record without its file. The chosen name
    is overwritten, as the save dialog asked."""
    from clerkapp.files.outputs import OutputBatch
    from clerkapp.reports.export import write_table

    label = f"the {KIND_NAMES[new.kind]}"
    with OutputBatch(store, f"closeout.{new.kind}", path.parent) as batch:
        staged = batch.stage(path.name, overwrite=True, label=label)
        try:
            write_table(staged.temp, spec.header, lines, as_csv=path.suffix.lower() == ".csv",
                        sheet=spec.sheet)
        except OSError as exc:
            raise BadInput(f"cannot write {label}: {exc.strerror}", file=str(path)) from None

        def record(files: list) -> UpdateFile:
            # read again under the write lock: counts another clerk reported since are not
            # reported twice (DoneElsewhere: nothing recorded, the file removed)
            store.require_not_reported_since(new.kind, seen_file,
                                             (r.conviction_id for r in new.rows))
            return store.record_update_file(replace(new, sha256=files[0].sha256),
                                            created_by=operator)

        return batch.commit(record)
