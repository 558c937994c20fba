"""Wording of what the court sends or hands to a person relieved (notices, the confirmation of
relief), as TOML files in `forms/` a court can edit, like the order templates.

Checked whole when loaded: an unknown placeholder names the file, the key and the placeholder;
a Spanish notice that lacks a placeholder its English original uses is refused naming both
files, so no letter goes out in one language without what the other says (a case number, the
public defender's phone).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.errors import TemplateError
from clerkapp.orders.templates import get_dotted, placeholders, read_template, text_values

LANGUAGES = ("en", "es")
NOTICE_TEMPLATES = {"en": "notice-en", "es": "notice-es"}
CERTIFICATE_TEMPLATE = "certificate"

COURT_PLACEHOLDERS = frozenset({
    "court.name", "court.county", "court.county_upper", "court.address", "court.clerk",
    "court.clerk_phone", "court.website", "defender.office", "defender.address",
    "defender.phone", "template.name", "template.version", "order.number", "order.date",
})
PLACEHOLDERS = {
    "notice": COURT_PLACEHOLDERS | {
        "person.name", "person.address", "person.reference", "notice.date", "counts.total",
        "page.number", "page.total"},
    "certificate": COURT_PLACEHOLDERS | {
        "person.name", "person.dob", "issue.date", "issue.clerk", "verification.code",
        "page.number", "page.total", "vacated.number", "case.number"},
}
# "when" conditions of a paragraph: printed only when one of the convictions has that relief
CONDITIONS = frozenset({"always", "dismissed", "misdemeanor", "infraction", "resentenced"})
REQUIRED = {
    "notice": ("template.name", "template.version", "template.kind", "template.language",
               "letter.title", "letter.greeting", "letter.intro", "letter.table_columns",
               "meaning.paragraphs", "copy.paragraphs", "contacts.heading", "contacts.court_lines",
               "letter.counter_label", "footer.left", "footer.right"),
    "certificate": ("template.name", "template.version", "template.kind", "template.title",
                    "certificate.intro", "certificate.table_columns", "meaning.paragraphs",
                    "verification.heading", "verification.text", "verification.line",
                    "issued.lines", "footer.left", "footer.right"),
}
TABLE_COLUMNS = {"notice": 5, "certificate": 7}


@dataclass(frozen=True)
class Paragraph:
    text: str
    when: str = "always"


@dataclass
class LetterTemplate:
    path: Path
    kind: str  # notice | certificate
    name: str
    version: str
    language: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    def get(self, dotted: str, default: Any = None) -> Any:
        return get_dotted(self.data, dotted, default)

    def paragraphs(self, section: str) -> list[Paragraph]:
        return [Paragraph(p) if isinstance(p, str) else Paragraph(p["text"], p.get("when", "always"))
                for p in self.get(f"{section}.paragraphs", [])]

    def relief(self, outcome: str, remedy: str) -> str:
        entry = self.get(f"relief.{outcome}", {})
        return entry.get("label_resentence" if remedy == "resentence" else "label", outcome)

    def used_placeholders(self) -> set[str]:
        return {n for _, text in _strings(self.data) for n in placeholders(text)}


def load_letter(name_or_path: str | Path, kind: str) -> LetterTemplate:
    """Read and check a notice or certificate template; TemplateError naming what is wrong."""
    path, data = read_template(name_or_path)
    fname = path.name
    if get_dotted(data, "template.kind") != kind:
        raise TemplateError(f"key template.kind: is {get_dotted(data, 'template.kind')!r}, a {kind!r}"
                            " template is needed here", file=fname)
    for key in REQUIRED[kind]:
        if get_dotted(data, key) in (None, "", []):
            raise TemplateError(f"required key {key} is missing", file=fname)
    known = PLACEHOLDERS[kind]
    for key, text in _strings(data):
        try:
            names = placeholders(text)
        except ValueError as exc:
            raise TemplateError(f"key {key}: {exc}", file=fname) from None
        for name in names:
            if name not in known:
                raise TemplateError(f"key {key}: unknown placeholder {{{name}}}"
                                    f" (known: {', '.join('{' + n + '}' for n in sorted(known))})",
                                    file=fname)
    for section in ("meaning", "copy"):
        for i, item in enumerate(get_dotted(data, f"{section}.paragraphs", []) or [], start=1):
            when = item.get("when", "always") if isinstance(item, dict) else "always"
            if when not in CONDITIONS:
                raise TemplateError(f"key {section}.paragraphs[{i}].when: unknown condition"
                                    f" {when!r} (known: {', '.join(sorted(CONDITIONS))})",
                                    file=fname)
    for outcome in sorted(o.value for o in RELIEF_OUTCOMES):
        for key in ("label", "label_resentence"):
            if not str(get_dotted(data, f"relief.{outcome}.{key}", "") or "").strip():
                raise TemplateError(f"required key relief.{outcome}.{key} is missing", file=fname)
    columns_key = "letter.table_columns" if kind == "notice" else "certificate.table_columns"
    columns = get_dotted(data, columns_key)
    if not isinstance(columns, list) or len(columns) != TABLE_COLUMNS[kind]:
        raise TemplateError(f"key {columns_key}: must list {TABLE_COLUMNS[kind]} column"
                            " headings", file=fname)
    language = str(get_dotted(data, "template.language", "en"))
    return LetterTemplate(path, kind, str(get_dotted(data, "template.name")),
                          str(get_dotted(data, "template.version")), language, data)


def load_notice_templates(languages: tuple[str, ...],
                          paths: dict[str, str | Path] | None = None) -> dict[str, LetterTemplate]:
    """The notice templates for `languages`. The English one is the reference: a translation
    must use every placeholder it uses (refused naming both files)."""
    paths = {**NOTICE_TEMPLATES, **(paths or {})}
    english = load_letter(paths["en"], "notice")
    out = {"en": english} if "en" in languages else {}
    for lang in languages:
        if lang == "en":
            continue
        if lang not in LANGUAGES:
            raise TemplateError(f"no notice template for language {lang!r}"
                                f" (known: {', '.join(LANGUAGES)})")
        translated = load_letter(paths[lang], "notice")
        missing = english.used_placeholders() - translated.used_placeholders()
        if missing:
            raise TemplateError(
                f"{translated.path.name} lacks placeholder(s)"
                f" {', '.join('{' + n + '}' for n in sorted(missing))} that"
                f" {english.path.name} uses: a notice must say the same in every language")
        out[lang] = translated
    return out


def _strings(data: dict) -> list[tuple[str, str]]:
    """Every text with its key, but the template's name and the date formats (their own
    `{month}`, `{day}` and `{year}` are not placeholders)."""
    return [(k, v) for k, v in text_values(data)
            if not k.startswith(("template.", "language."))]
