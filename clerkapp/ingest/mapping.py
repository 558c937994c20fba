"""Which spreadsheet column means what: header synonyms, header-row detection, the mapping.

Court and prosecutor exports name the same thing many ways (`Case No`, `Docket`, `COURTNO`).
Headers are compared after normalizing case, spaces and punctuation, so `Case No.`, `CASE_NO`
and `case no` are one spelling. A clerk's `--map "Header=field"` always wins over detection.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from clerkapp.errors import BadInput

FIELDS: tuple[str, ...] = (
    "case_number", "name", "last_name", "first_name", "dob", "code_section", "level",
    "disposition", "conviction_date", "offense_date", "county", "court", "cii", "sentence",
    "race", "gender", "address", "city", "state", "zip", "count",
)
# How the mapping dialog names each field (the internal name is its tooltip and `--map`'s).
FIELD_LABELS: dict[str, str] = {
    "case_number": "Case number", "name": "Name (full)", "last_name": "Last name",
    "first_name": "First name", "dob": "Date of birth", "code_section": "Charge (code section)",
    "level": "Level (felony, misdemeanor)", "disposition": "Disposition",
    "conviction_date": "Conviction date", "offense_date": "Offense or arrest date",
    "county": "County", "court": "Court", "cii": "CII number", "sentence": "Sentence",
    "race": "Race", "gender": "Gender", "address": "Street address", "city": "City",
    "state": "State", "zip": "ZIP code", "count": "Count number",
}
# `name` is satisfied by `last_name` (a sheet with Last Name + First Name columns).
REQUIRED_FIELDS: tuple[str, ...] = ("case_number", "name", "code_section", "conviction_date")
IGNORE = "ignore"

# Field -> header spellings seen in court and prosecutor exports (doj-format.md section 2).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "case_number": (
        "Case No", "Case Number", "Case #", "Case Num", "Case Nbr", "Case", "Case ID",
        "Docket", "Docket No", "Docket Number", "COURTNO", "Court No", "Court Number",
        "Court Case", "Court Case No", "Court Case Number", "OFN", "FE_NUM_CRT_CASE",
        "Case Numbers",
    ),
    "name": (
        "Defendant", "Defendant Name", "True Name", "Name", "Full Name", "Def Name",
        "Subject Name", "PRI_NAME", "Party Name", "Person Name", "Defendant Full Name",
    ),
    "last_name": ("Last Name", "Last", "Surname", "LName", "Family Name", "Name Last"),
    "first_name": ("First Name", "First", "FName", "Given Name", "Name First"),
    "dob": ("DOB", "Date of Birth", "Birth Date", "Birthdate", "Birth Dt", "PRI_DOB", "BDate"),
    "code_section": (
        "Charge", "Charges", "Statute", "Code Section", "CURRENT_CHARGE", "Code", "Section",
        "Offense", "Offense Code", "Charge Code", "Violation", "Violation Code", "Conv Charge",
        "Convicted Charge", "Conviction Charge", "Conviction Offense", "Statute Code",
        "Convicted Offense", "OFFENSE_DESCR", "Offense Description", "Charge Description",
        "Conv Offense", "Current Charge Code", "Statute Violated", "Code Violated",
        "Section Violated", "Violation Statute", "Charged Statute",
    ),
    "level": (
        "Level", "Class", "CASE_CLAS", "F/M", "Fel/Misd", "F/M/I", "Charge Level",
        "Offense Level", "Charge Class", "Offense Class", "Severity", "TOC", "OFFENSE_TOC",
        "Felony/Misdemeanor", "Case Class", "Conviction Level", "Level of Offense",
    ),
    "disposition": (
        "Disposition", "DISPO", "Disp", "Disposition Description", "DISP_DESCR", "Finding",
        "Disposition Type", "Case Disposition",
    ),
    "conviction_date": (
        "Conviction Date", "Disposition Date", "Sentence Date", "Conv Date", "Disp Date",
        "Date of Conviction", "Convicted Date", "Judgment Date", "Dispo Date", "DISP_DATE",
        "Conviction Dt", "Date Convicted", "Sentencing Date", "Date of Disposition",
    ),
    "offense_date": (
        "Offense Date", "Arrest Date", "Violation Date", "Date of Offense", "Date of Arrest",
        "Incident Date", "CYC_DATE", "Offense Dt", "Arrest Dt", "Violation Dt", "Crime Date",
        "Date of Violation",
    ),
    "county": ("County", "County Name", "Cnty", "STP_ORI_CNTY_NAME"),
    "court": ("Court", "Court Name", "Court Location", "Courthouse", "Branch", "STP_ORI_DESCR"),
    "cii": ("CII", "CII No", "CII Number", "CII #", "CII_NUMBER", "State ID", "SID"),
    "sentence": ("Sentence", "Sentence Text", "Sentence Description", "Sentence Imposed"),
    # the count's number in its case, printed on the orders (optional)
    "count": ("Count", "Count No", "Count Number", "Count #", "Count Nbr", "Cnt No",
              "Charge Count", "Count Num"),
    "race": ("Race", "Race/Ethnicity", "Ethnicity", "Race Code", "RACE_DESCR"),
    "gender": ("Sex", "Gender", "Sex Code"),
    # a mailing address, where a court export carries one: notices are addressed to it
    "address": ("Address", "Street", "Street Address", "Mailing Address", "Address Line 1",
                "Address 1", "Addr", "Residence Address", "Home Address", "Last Known Address"),
    "city": ("City", "Town", "Mailing City", "Residence City"),
    "state": ("State", "Mailing State", "State Code"),
    "zip": ("Zip", "Zip Code", "ZIP+4", "Postal Code", "Zipcode", "Mailing Zip"),
}

# Words some exports put before every column of the person (`Defendant DOB`).
_PREFIXES = ("defendants", "defendant", "subject", "party", "person", "client", "def")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MIN_HEADER_SCORE = 2  # a row naming fewer fields is a title or data, not the header


def normalize_header(text: object) -> str:
    """`Case No.` / `CASE_NO` / `case #` -> `caseno`."""
    s = str(text or "").lower().replace("#", "no").replace("&", "and")
    return _NON_ALNUM.sub("", s)


_LOOKUP: dict[str, str] = {}
for _field in FIELDS:
    for _spelling in SYNONYMS[_field]:
        _LOOKUP.setdefault(normalize_header(_spelling), _field)


def detect_field(header: object) -> str | None:
    """The field a header names, or None."""
    key = normalize_header(header)
    if not key:
        return None
    found = _LOOKUP.get(key)
    if found:
        return found
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            found = _LOOKUP.get(key[len(prefix):])
            if found:
                return found
    return None


def header_score(cells: Iterable[object]) -> int:
    """How many distinct fields a row's cells name: the header row scores highest."""
    return len({f for f in map(detect_field, cells) if f is not None})


def find_header_row(rows: list[list[str]]) -> int | None:
    """Index of the best-scoring row (the first on a tie), or None when no row looks like one."""
    best, best_score = None, MIN_HEADER_SCORE - 1
    for i, row in enumerate(rows):
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    return best


def column_name(index: int) -> str:
    """0 -> `A`, 27 -> `AB`: how Excel names a column."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def unique_headers(cells: list[str], width: int, first_column: int = 0) -> list[str]:
    """Header texts for `width` columns: blanks named by column letter, repeats numbered."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        text = cells[i].strip() if i < len(cells) else ""
        if not text:
            text = f"Column {column_name(first_column + i)}"
        n = seen.get(text.lower(), 0) + 1
        seen[text.lower()] = n
        out.append(text if n == 1 else f"{text} ({n})")
    return out


def detect_mapping(headers: list[str]) -> dict[str, str]:
    """Header -> field by synonyms; each field goes to its first column only."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        found = detect_field(header)
        if found and found not in taken:
            mapping[header] = found
            taken.add(found)
    return mapping


def resolve_mapping(headers: list[str], overrides: Mapping[str, str] | None,
                    *, file: str | None = None, show_headers: bool = True) -> dict[str, str]:
    """The detected mapping with the clerk's overrides applied.

    `overrides` maps a header (exact or same normalized spelling) to a field; `""` or `ignore`
    drops the column. A field the clerk assigns is taken from any column detection gave it to.
    `show_headers=False` keeps the header texts out of the error (when the "header" row may be
    data: no row of the sheet looked like a header).
    """
    mapping = detect_mapping(headers)
    if not overrides:
        return mapping
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(normalize_header(h), h)
    chosen: dict[str, str | None] = {}
    for given, target in overrides.items():
        header = given if given in headers else by_norm.get(normalize_header(given))
        if header is None:
            listed = f" (headers: {', '.join(headers)})" if show_headers else ""
            raise BadInput(f"--map names a header that is not in the file: {given!r}{listed}",
                           file=file)
        target = (target or "").strip().lower()
        if target in ("", IGNORE):
            chosen[header] = None
            continue
        if target not in FIELDS:
            raise BadInput(f"--map {given}={target}: unknown field (fields: {', '.join(FIELDS)})",
                           file=file)
        chosen[header] = target
    assigned = {f for f in chosen.values() if f}
    result = {h: f for h, f in mapping.items() if h not in chosen and f not in assigned}
    result.update({h: f for h, f in chosen.items() if f})
    return {h: result[h] for h in headers if h in result}  # keep column order


def missing_fields(mapping: Mapping[str, str]) -> list[str]:
    """Required fields no column is mapped to (`last_name` stands in for `name`)."""
    mapped = set(mapping.values())
    if "last_name" in mapped:
        mapped.add("name")
    return [f for f in REQUIRED_FIELDS if f not in mapped]


def layout_key(headers: list[str]) -> str:
    """A stable id for a sheet layout, so a mapping chosen once can be offered again."""
    joined = "\x1f".join(normalize_header(h) for h in headers)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def arrest_header(header: str) -> bool:
    """Whether an `offense_date` column is really an arrest date (the reason says which)."""
    key = normalize_header(header)
    return "arrest" in key or key in ("cycdate",)


# ---------------------------------------------------------------- what a mapped cell means

_LEVELS: dict[str, str] = {}
for _code, _spellings in {
    "F": ("F", "FEL", "FELONY", "FELON", "FELONIES", "FELNY"),
    "M": ("M", "MISD", "MISDEMEANOR", "MISDEMEANER", "MISDEMENOR", "MIS", "MSD", "MISDO"),
    "I": ("I", "INF", "INFR", "INFRACTION", "INFRAC", "INFRACT"),
}.items():
    for _spelling in _spellings:
        _LEVELS[_spelling] = _code
_FIRST_WORD = re.compile(r"[A-Z]+")


def normalize_level(text: str) -> str | None:
    """`F`, `FEL`, `Felony`, `F - FELONY` -> `F` (likewise M and I); None when unrecognized."""
    m = _FIRST_WORD.search(text.upper())
    return _LEVELS.get(m.group()) if m else None


_NAME_JUNK = re.compile(r"[^A-Z0-9' -]+")
_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})


def mailing_address(street: str | None, city: str | None, state: str | None,
                    zip_code: str | None) -> str | None:
    """`123 Main St` / `Oakland` / `CA` / `94612` -> two lines as an envelope shows them
    ("123 Main St" and "Oakland, CA 94612"); None when the record gives no street (a city
    alone does not reach anybody). A street cell that holds the whole address is kept whole."""
    street = " ".join((street or "").split())
    if not street:
        return None
    city = " ".join((city or "").split())
    tail = " ".join(p for p in ((state or "").strip().upper(), (zip_code or "").strip()) if p)
    last = ", ".join(p for p in (city, tail) if p)
    return f"{street}\n{last}" if last else street


def _name_words(text: str) -> list[str]:
    return _NAME_JUNK.sub(" ", text.upper()).split()


def name_key(name: str | None, last: str | None, first: str | None) -> str:
    """`LAST,FIRST` for grouping rows into a person; the middle name and suffix are left out
    so `SMITH, JOHN A` and `Smith, John` group together.

    A name column with a comma is `LAST, FIRST ...`; without one it is read as
    `FIRST ... LAST` (how case-management screens print it).
    """
    if last and last.strip():
        last_words = _name_words(last)
        first_words = _name_words(first or "")
    elif name and "," in name:
        head, _, tail = name.partition(",")
        last_words, first_words = _name_words(head), _name_words(tail)
    else:
        words = [w for w in _name_words(name or "") if w not in _SUFFIXES]
        last_words, first_words = words[-1:], words[:-1]
    last_words = [w for w in last_words if w not in _SUFFIXES] or last_words
    return f"{' '.join(last_words)},{first_words[0] if first_words else ''}"


def display_name(name: str | None, last: str | None, first: str | None) -> str | None:
    """`LAST,FIRST MIDDLE` as the source spells it."""
    if last and last.strip():
        first_part = (first or "").strip()
        return f"{last.strip()},{first_part}" if first_part else last.strip()
    return name.strip() if name and name.strip() else None


_CASE_SPLIT = re.compile(r"\s*[;,\n]\s*")
_NULLS = frozenset({"", "NULL", "NONE", "N/A", "NA", "-"})


def split_case_numbers(text: str) -> list[str]:
    """`BA123456; BA123457` -> both; `NULL` and blanks dropped."""
    return [p for p in _CASE_SPLIT.split(text.strip()) if p.upper() not in _NULLS]


_SENTENCE_PART = re.compile(
    r"(?<![\d.$])(\d{1,4})\s*(YEARS?|YRS?|Y|MONTHS?|MOS?|MTHS?|M|DAYS?|DYS?|D)(?![A-Z])", re.I)
_LOOSE_NUMBER = re.compile(r"(?<![\d.$])\d+(?:\.\d+)?")


def sentence_parts(text: str) -> tuple[int, int, int] | None:
    """(years, months, days) of a sentence text such as `JAIL 90 D; PROBATION 3 Y`.

    Parts add up (as the DOJ file's sentence parts do). None when the text holds no length, or a
    number whose unit is not known (`LIFE`, `16`), because a guessed sentence decides the remedy.
    Amounts of money (`FINE $500`) are not lengths.
    """
    upper = text.upper()
    if "LIFE" in upper or "DEATH" in upper:
        return None
    years = months = days = 0
    found = False
    for m in _SENTENCE_PART.finditer(upper):
        n, unit = int(m.group(1)), m.group(2)[0]
        found = True
        if unit == "Y":
            years += n
        elif unit == "M":
            months += n
        else:
            days += n
    loose = len(_LOOSE_NUMBER.findall(_SENTENCE_PART.sub(" ", upper)))
    if not found or loose:
        return None
    return years, months, days
