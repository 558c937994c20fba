"""How names, dates and files are written on orders: one place, so every order agrees."""

from __future__ import annotations

import re
import unicodedata

LEVELS = {"F": "Felony", "M": "Misdemeanor", "I": "Infraction"}

# Characters Windows forbids in file names, and control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def display_name(name: str) -> str:
    """'DOE,JOHN Q' -> 'DOE, JOHN Q': the record's spelling, made readable."""
    parts = [p.strip() for p in (name or "").split(",")]
    return ", ".join(p for p in parts if p)


def display_date(iso: str) -> str:
    """ISO or partial ISO -> US court style: 1990-05-06 -> 05/06/1990, 1990-05 -> 05/1990."""
    text = (iso or "").strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        return text
    year, month, day = m.groups()
    if day:
        return f"{month}/{day}/{year}"
    if month:
        return f"{month}/{year}"
    return year


def display_level(level: str) -> str:
    return LEVELS.get((level or "").upper(), level or "Unknown")


def safe_part(text: str, limit: int = 60) -> str:
    """A piece of a file name safe on Windows, macOS and Linux: ASCII letters, digits, - and _."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    text = _FORBIDDEN.sub("", text)
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_. ")
    text = re.sub(r"-{2,}", "-", text)[:limit].strip("-_. ")
    if text.upper() in _RESERVED:
        text = f"{text}-"
    return text


def case_file_name(case_number: str, name: str, style: str = "case") -> str:
    """`<case-number>.pdf`, or with style "case-name" `<case-number>_<LAST-FIRST>.pdf`: the
    case number first so a folder sorts by case."""
    case = safe_part(case_number).upper() or "NO-CASE-NUMBER"
    if style != "case-name":
        return f"{case}.pdf"
    parts = [p.strip() for p in (name or "").split(",")]
    last = parts[0] if parts else ""
    first = parts[1].split()[0] if len(parts) > 1 and parts[1].split() else ""
    person = safe_part(f"{last}-{first}" if first else last).upper() or "UNNAMED"
    return f"{case}_{person}.pdf"


def bulk_file_name(date_iso: str, convictions: int) -> str:
    return f"bulk-order_{safe_part(date_iso)}_{convictions}-convictions.pdf"
