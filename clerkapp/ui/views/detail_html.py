"""The right half of the detail pane as HTML: the normalized conviction, the determination with
each reason and citation, the prosecutor's view beside it, and the person's whole history.

Pure text building (no widgets), every value escaped, so it is easy to test and to read.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from clerkapp.store.detail import ConvictionDetail
from clerkapp.ui.models.styles import closeout_colour, outcome_look, status_look

CSS = """
h2 { font-size: 1.25em; margin: 0 0 2px 0; }
h3 { font-size: 1.05em; margin: 10px 0 3px 0; color: #1f3b5a;
     border-bottom: 1px solid #c9d3de; }
td, th { padding: 2px 8px 2px 0; vertical-align: top; }
th { text-align: left; color: #4a4a4a; font-weight: normal; }
.muted { color: #5f6368; }
.cite { color: #4d5b6a; font-size: 0.92em; }
.info { color: #5f6368; font-style: italic; }
.warn { background: #fff1c2; }
.this td { font-weight: bold; background: #eef3f8; }
.badge { font-weight: bold; }
"""


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _outcome(outcome: str | None) -> str:
    look = outcome_look(outcome)
    return f'<span class="badge" style="color:{look.colour}">{_e(look.label)}</span>'


def _row(label: str, value: Any, cls: str = "") -> str:
    if value in (None, "", "[]"):
        return ""
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}><th>{_e(label)}</th><td>{_e(value)}</td></tr>"


# the importer's flags (ingest/doj_readings.py, ingest/sheets.py) in the clerk's words: the
# pane showed the codes ("offense_from_comment")
FLAG_WORDS = {
    "offense_from_comment": "offense read from the comment (the offense text says to see it)",
    "offense_comment_disagree": "the offense text and the comment name different charges",
    "set_aside_1203_4": "set aside under PC 1203.4",
    "sentence_see_comment": "the sentence reads 'see comment'",
    "no_name": "the record names no one",
    "no_case_number": "the record gives no case number",
}
NOTE_PREFIX = "note: "  # a note the import added (ingest/file_facts.py)


def importer_notes(flags: list[str]) -> str:
    """The importer's flags as words, one after another; a flag without words as it is."""
    return "; ".join(FLAG_WORDS.get(f) or f.removeprefix(NOTE_PREFIX) for f in flags)


def offense_mismatch(conviction: dict[str, Any]) -> bool:
    """The offense text and the comment both name a charge, and they differ."""
    raw = (conviction.get("raw_offense") or "").strip().upper()
    comment = (conviction.get("comment_text") or "").strip().upper()
    if not raw or not comment or raw.startswith("SEE COMMENT"):
        return False
    return raw.split("-")[0].replace(" ", "") != comment.split("-")[0].replace(" ", "")


def detail_html(detail: ConvictionDetail) -> str:
    c, p = detail.conviction, detail.person
    parts = [f"<style>{CSS}</style>"]
    parts.append(f"<h2>{_e(p.get('name') or 'Unnamed person')}</h2>")
    born = f"born {_e(p.get('dob'))}" if p.get("dob") else "date of birth unknown"
    extra = " · deceased" if p.get("deceased") else ""
    parts.append(f'<div class="muted">{born} · CII {_e(p.get("cii") or "—")}{extra}</div>')

    parts.append("<h3>Conviction (normalized)</h3><table>")
    mismatch = offense_mismatch(c)
    section = c.get("code_section") or "not recognized"
    if c.get("attempted"):
        section += " (attempt, PC 664)"
    if c.get("conspiracy"):
        section += " (conspiracy, PC 182)"
    rows = [
        _row("Case number", c.get("case_number")),
        _row("County / court", " / ".join(x for x in (c.get("county"), c.get("court")) if x)),
        _row("Section", section),
        _row("Offense text", c.get("raw_offense"), "warn" if mismatch else ""),
        _row("Comment", c.get("comment_text"), "warn" if mismatch else ""),
        _row("Level", {"F": "Felony", "M": "Misdemeanor", "I": "Infraction"}.get(
            c.get("level") or "", "unknown")),
        _row("Disposition", c.get("disposition")),
        _row("Convicted", c.get("conviction_date")),
        _row("Offense date", _dated(c.get("offense_date"), c.get("offense_date_source"))),
        _row("Sentence", c.get("sentence_text")),
        _row("Sentence ends", c.get("sentence_end")),
        _row("Importer notes", importer_notes(_json_list(c.get("flags")))),
    ]
    parts.extend(rows)
    parts.append("</table>")
    if mismatch:
        parts.append('<p class="warn">The offense text and the comment name different'
                     " charges: check which one the court convicted on.</p>")

    parts.append(_determination(detail))
    parts.append(_reviews(detail))
    parts.append(closeout_html(detail.closeout))
    parts.append(_history(detail))
    return "".join(parts)


def closeout_html(record: dict[str, Any] | None) -> str:
    """Ordered? Reported to the DOJ, and by when? Case system updated? (docs/closing.md)"""
    if not record:
        return ""
    progress, days = record["progress"], record["days"]
    colour = closeout_colour(progress, date.today(), days)
    out = [f'<h3>Close-out</h3><p><span class="badge" style="color:{colour}">'
           f"{_e(progress.text(date.today(), days))}</span></p><table>"]
    order = record.get("order")
    if order:
        dated = "signed" if order["signed"] else "printed, not recorded as signed"
        out.append(_row("Order", f"{order['number']}, {order['date']} ({dated})"))
        due = progress.due(days)
        if due is not None:
            out.append(_row("DOJ report due", f"{due.isoformat()} ({days} days, PC 13151)"))
    for text in record.get("vacated", []):
        out.append(_row("Order vacated", text))
    names = {"doj": "Reported to the DOJ", "cms": "Case system updated"}
    for f in record.get("files", []):
        out.append(_row(names.get(f["kind"], f["kind"]),
                        f"{f['created_at'][:10]} by {f['created_by']}"
                        f" ({outcome_look(f['outcome']).label})"))
    out.append("</table>")
    return "".join(out)


def _dated(date: str | None, source: str | None) -> str | None:
    if not date:
        return None
    return f"{date} ({source})" if source else date


# The remedy is the procedural track, not the relief: say which, so "dismiss and seal" beside
# "redesignate" does not read as a contradiction.
REMEDY_WORDS = {
    "redesignate": "Sentence completed: application to dismiss/redesignate (HS 11361.8(e)–(f))",
    "resentence": "Sentence still running: recall and resentence (HS 11361.8(a)–(b))",
}


def _determination(detail: ConvictionDetail) -> str:
    c, d = detail.conviction, detail.determination
    prosecutor = c.get("prosecutor_outcome")
    out = ["<h3>Determination</h3>"]
    if d is None:
        out.append('<p class="muted">Not evaluated yet.</p>')
        return "".join(out)
    left = [f"<p>{_outcome(d.outcome)}"]
    if d.remedy in REMEDY_WORDS:
        left.append(f'<br><span class="muted">{REMEDY_WORDS[d.remedy]}</span>')
    elif d.remedy:
        left.append(f" — {_e(d.remedy)}")
    left.append("</p><ol>")
    for reason in d.reasons:
        kind = reason.get("kind", "decisive")
        cite = reason.get("citation") or ""
        cls = ' class="info"' if kind == "info" else ""
        label = "For information: " if kind == "info" else ""
        left.append(f"<li{cls}>{label}{_e(reason.get('text'))}"
                    + (f' <span class="cite">— {_e(cite)}</span>' if cite else "") + "</li>")
    left.append("</ol>")
    if d.authority:
        left.append(f'<div class="cite">Authority: {_e(d.authority)}</div>')
    policy = " · ".join(x for x in (
        f"policy {d.policy_name}" if d.policy_name else "",
        f"as of {d.as_of}" if d.as_of else "") if x)
    if policy:
        left.append(f'<div class="muted">{_e(policy)}</div>')
    if not prosecutor:
        out.extend(left)
        return "".join(out)
    differs = prosecutor != d.outcome
    right = [f"<p>{_outcome(prosecutor)}</p>",
             f"<div>{_e(c.get('prosecutor_reason') or '')}</div>"]
    if differs:
        right.append('<p class="warn">Differs from the evaluation.</p>')
    out.append('<table width="100%"><tr><th width="55%">Evaluation</th><th>Prosecutor</th></tr>'
               f'<tr><td>{"".join(left)}</td><td>{"".join(right)}</td></tr></table>')
    return "".join(out)


def _reviews(detail: ConvictionDetail) -> str:
    c = detail.conviction
    look = status_look(c.get("review_status"))
    out = [f'<h3>Review</h3><p><span class="badge" style="color:{look.colour}">'
           f"{_e(look.label)}</span></p>"]
    if detail.reviews:
        out.append("<table>")
        for r in detail.reviews[:8]:
            status = status_look(r["status"]).label + (" (undone)" if r.get("undone") else "")
            what = outcome_look(r.get("decided_outcome")).label
            if r.get("overridden"):
                what += " (override)"
            out.append(f"<tr><td>{_e(r['decided_at'])}</td><td>{_e(r['clerk'])}</td>"
                       f"<td>{_e(status)}</td><td>{_e(what)}</td>"
                       f"<td class='muted'>{_e(r.get('note') or '')}</td></tr>")
        out.append("</table>")
    return "".join(out)


def _history_outcome(h: dict[str, Any]) -> str:
    """The outcome in force, marked when it is the clerk's override of the engine's."""
    outcome = h.get("outcome_in_force", h.get("outcome"))
    if not outcome:
        return ""
    if not h.get("overridden"):
        return _outcome(outcome)
    engine = outcome_look(h.get("outcome")).label
    return (f'{_outcome(outcome)} <span class="muted" title="The evaluation said {_e(engine)}">'
            f"(override; evaluation: {_e(engine)})</span>")


def _history(detail: ConvictionDetail) -> str:
    this = detail.conviction.get("id")
    out = [f"<h3>History of this person ({len(detail.history)} conviction"
           f"{'s' if len(detail.history) != 1 else ''})</h3>"]
    out.append("<table><tr><th>Convicted</th><th>Case</th><th>Section</th><th>Level</th>"
               "<th>County</th><th>Outcome</th><th>Status</th></tr>")
    for h in detail.history:
        cls = ' class="this"' if h["id"] == this else ""
        section = h.get("code_section") or h.get("raw_offense") or "?"
        out.append(
            f"<tr{cls}><td>{_e(h.get('conviction_date') or '?')}</td>"
            f"<td>{_e(h.get('case_number'))}</td><td>{_e(section)}</td>"
            f"<td>{_e(h.get('level') or '?')}</td><td>{_e(h.get('county'))}</td>"
            f"<td>{_history_outcome(h)}</td>"
            f"<td>{_e(status_look(h.get('review_status')).label)}</td></tr>"
        )
    out.append("</table>")
    if detail.events:
        out.append("<h3>Other history</h3><table><tr><th>Date</th><th>Event</th>"
                   "<th>Section</th><th>Details</th></tr>")
        for e in detail.events:
            out.append(f"<tr><td>{_e(e.get('event_date') or '?')}</td>"
                       f"<td>{_e((e.get('kind') or '').capitalize())}</td>"
                       f"<td>{_e(e.get('code_section'))}</td><td>{_e(e.get('text'))}</td></tr>")
        out.append("</table>")
    return "".join(out)


def _json_list(text: Any) -> list[str]:
    import json

    try:
        value = json.loads(text) if text else []
    except (TypeError, ValueError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
