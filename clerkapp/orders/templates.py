"""Order templates: wording and layout as TOML files in `forms/`, which a court can edit.

A template is checked whole when it loads, so a typo fails at once with the file, the key and
the placeholder named, never halfway through printing 66,000 rows. Placeholders look like
`{court.county}`; `{{` and `}}` print literal braces. A line whose placeholders all come out
empty is left off the page (an empty court address, a person without AKA).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.errors import TemplateError
from clerkapp.paths import FORMS_DIR

DEFAULT_TEMPLATES = {"case": "per-case-order", "bulk": "bulk-order"}

COMMON_PLACEHOLDERS = frozenset({
    "court.name", "court.name_upper", "court.county", "court.county_upper", "court.address",
    "court.department", "court.department_title", "court.judge", "court.clerk", "judge.name", "clerk.name",
    "order.date", "order.number", "audit.head", "template.name", "template.version", "template.title",
    "counts.total", "counts.dismissed", "counts.misdemeanor", "counts.infraction",
    "counts.resentenced", "counts.redesignated", "counts.convictions_noun", "hs11590.authority",
    "prosecutor.name",
    "order.supersedes",
})
CASE_PLACEHOLDERS = COMMON_PLACEHOLDERS | {
    "defendant.name", "defendant.aka", "defendant.dob", "defendant.cii",
    "case.number", "case.numbers", "case.identity", "case.reference",
}
BULK_PLACEHOLDERS = COMMON_PLACEHOLDERS | {
    "counts.people", "counts.people_noun", "counts.cases", "exhibit.pages", "exhibit.sort",
}
PAGE_PLACEHOLDERS = frozenset({"page.number", "page.total"})
# `[resentencing]` (per-case) is printed once for each count resentenced: "Count 3, HS 11360(a)"
COUNT_PLACEHOLDERS = frozenset({"count.label", "count.resulting"})

# Conditions an order paragraph may carry in `when`: printed only when true for the order.
CONDITIONS = frozenset({"always", "dismissed", "redesignated", "resentenced", "completed",
                        "hs11590", "supersedes"})
# ... and where the convictions came from: `source_doj` holds only when every conviction on
# the order came from the DOJ's list (likewise `source_court`, `source_prosecutor`), so an
# order never recites what is not true of each of its lines (`[sources.<kind>]` says why)
SOURCE_CONDITIONS = frozenset({"source_doj", "source_court", "source_prosecutor"})
CONDITIONS = CONDITIONS | SOURCE_CONDITIONS

# key -> placeholders it must contain (an order without the defendant is no order)
_REQUIRED_PLACEHOLDERS = {
    "case": {"caption.people_line": {"defendant.name"}, "caption.case_line": {"case.numbers"}},
    "bulk": {},
}

# Every page carries the order number: each group of keys must name {order.number} in one
# of them (the footer of every page; the running header or page label of Exhibit A).
_EVERY_PAGE = {
    "case": (("footer.left", "footer.center", "footer.right"),),
    "bulk": (("footer.left", "footer.right"), ("exhibit.running_header", "exhibit.page_label")),
}

_REQUIRED_KEYS = {
    "case": (
        "template.name", "template.version", "template.kind", "template.title",
        "caption.court_line", "caption.people_line", "caption.case_label", "caption.case_line",
        "findings.paragraphs", "counts_table.heading", "counts_table.columns",
        "orders.paragraphs", "signature.date_line", "signature.judge_title",
        "signature.judge_name", "footer.left", "footer.right",
    ),
    "bulk": (
        "template.name", "template.version", "template.kind", "template.title",
        "caption.court_lines", "caption.case_title", "recitals.heading", "recitals.paragraphs",
        "orders.heading", "orders.paragraphs", "signature.date_line", "signature.judge_title",
        "signature.judge_name", "footer.left", "footer.right",
        "exhibit.slip_title", "exhibit.running_header", "exhibit.columns", "exhibit.page_label",
        "exhibit.totals_heading",
    ),
}
_RELIEF_KEYS = ("label", "label_resentence", "authority", "authority_resentence")

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholders(text: str) -> list[str]:
    """The placeholder names in `text`; raises ValueError on a stray brace."""
    names = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if m.group(1) is None:
            raise ValueError(f"stray {token!r} (write {token * 2} for a literal brace)")
        names.append(m.group(1).strip())
    return names


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each placeholder by its value (already validated, so every name is known)."""
    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return str(values.get(m.group(1).strip(), ""))

    return _TOKEN.sub(sub, text)


def fill_line(text: str, values: Mapping[str, str]) -> str | None:
    """Like `fill`, but None when the line has placeholders and every one is empty."""
    names = placeholders(text)
    if names and all(not str(values.get(n, "")).strip() for n in names):
        return None
    return fill(text, values)


def fill_block(lines: list[str], values: Mapping[str, str]) -> list[str]:
    """The filled lines of an optional block (the clerk's attestation), or none at all when
    any placeholder in it comes out empty: "By ____, Deputy" without a clerk is no block."""
    names = [n for line in lines for n in placeholders(line)]
    if any(not str(values.get(n, "")).strip() for n in names):
        return []
    return [fill(line, values) for line in lines]


@dataclass(frozen=True)
class Relief:
    """How one outcome is worded on an order, and the law it is ordered under."""

    label: str
    label_resentence: str
    authority: str
    authority_resentence: str
    authority_pc1385: str = ""

    def wording(self, remedy: str) -> str:
        return self.label_resentence if remedy == "resentence" else self.label

    def cites(self, remedy: str, determination_authority: str) -> str:
        if self.authority_pc1385 and "PC 1385" in (determination_authority or "").upper():
            return self.authority_pc1385
        return self.authority_resentence if remedy == "resentence" else self.authority


@dataclass(frozen=True)
class Paragraph:
    text: str
    when: str = "always"


@dataclass
class Template:
    """A loaded, validated template; `data` is the TOML as read."""

    path: Path
    kind: str
    name: str
    version: str
    title: str
    data: dict[str, Any]
    relief: dict[str, Relief] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """What the orders table records: name and version."""
        return f"{self.name} v{self.version}"

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def paragraphs(self, section: str) -> list[Paragraph]:
        items = self.get(f"{section}.paragraphs", [])
        return [Paragraph(p) if isinstance(p, str) else Paragraph(p["text"], p.get("when", "always"))
                for p in items]

    def block(self, section: str, values: Mapping[str, str]) -> list[str]:
        """`[section] lines`, filled, or [] when the block is absent or a value is empty."""
        return fill_block(list(self.get(f"{section}.lines", [])), values)

    def layout(self, key: str, default: float) -> float:
        return float(self.get(f"layout.{key}", default))


def template_path(name_or_path: str | Path) -> Path:
    """A bare name means `forms/<name>.toml`; anything with a suffix or a slash is a path."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(text)
    return FORMS_DIR / f"{text}.toml"


def read_template(name_or_path: str | Path) -> tuple[Path, dict[str, Any]]:
    """(path, TOML as read) of a template in `forms/` or a file; TemplateError naming the
    file when it is missing or not TOML (every kind of template: orders, notices...)."""
    path = template_path(name_or_path)
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError("template file not found", file=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"not valid TOML: {exc}", file=path.name) from None


def load_template(name_or_path: str | Path, kind: str) -> Template:
    """Read and validate a template of `kind` ("case" or "bulk"); TemplateError when wrong."""
    path, data = read_template(name_or_path)
    fname = path.name
    declared = get_dotted(data, "template.kind")
    if declared != kind:
        raise TemplateError(
            f"key template.kind: is {declared!r}, this printing needs a {kind!r} template",
            file=fname,
        )
    for key in _REQUIRED_KEYS[kind]:
        if get_dotted(data, key) in (None, ""):
            raise TemplateError(f"required key {key} is missing", file=fname)
    allowed = CASE_PLACEHOLDERS if kind == "case" else BULK_PLACEHOLDERS
    for key, text in text_values(data):
        if key.startswith("template."):
            continue
        section = key.split(".")[0]
        here = allowed | PAGE_PLACEHOLDERS if section in ("footer", "exhibit") else allowed
        if section == "resentencing" and kind == "case":
            here = allowed | COUNT_PLACEHOLDERS
        if section == "exhibit":  # drawn before the rows are counted: only the total is known
            here = {n for n in here
                    if not n.startswith("counts.") or n in ("counts.total", "counts.convictions_noun")}
        try:
            names = placeholders(text)
        except ValueError as exc:
            raise TemplateError(f"key {key}: {exc}", file=fname) from None
        for name in names:
            if name not in here:
                raise TemplateError(
                    f"key {key}: unknown placeholder {{{name}}}"
                    f" (known: {', '.join('{' + n + '}' for n in sorted(here))})",
                    file=fname,
                )
    for key, needed in _REQUIRED_PLACEHOLDERS[kind].items():
        missing = needed - set(placeholders(str(get_dotted(data, key))))
        if missing:
            raise TemplateError(
                f"key {key}: must contain the placeholder {{{sorted(missing)[0]}}}", file=fname
            )
    for keys in _EVERY_PAGE[kind]:
        if not any("order.number" in placeholders(str(get_dotted(data, k) or "")) for k in keys):
            raise TemplateError(
                f"key {' or '.join(keys)}: must contain the placeholder {{order.number}}"
                " (the order number is printed on every page)", file=fname)
    _check_paragraphs(data, kind, fname)
    _check_hs11590(data, kind, fname)
    relief = _relief(data, fname)
    _check_columns(data, kind, fname)
    return Template(
        path=path, kind=kind, name=str(get_dotted(data, "template.name")),
        version=str(get_dotted(data, "template.version")), title=str(get_dotted(data, "template.title")),
        data=data, relief=relief,
    )


def _check_paragraphs(data: dict, kind: str, fname: str) -> None:
    sections = ("findings", "orders") if kind == "case" else ("recitals", "orders")
    for section in sections:
        items = get_dotted(data, f"{section}.paragraphs")
        if not isinstance(items, list):
            raise TemplateError(f"key {section}.paragraphs: must be a list", file=fname)
        for i, item in enumerate(items, start=1):
            if isinstance(item, str):
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise TemplateError(
                    f"key {section}.paragraphs[{i}]: must be text or a table with text", file=fname
                )
            when = item.get("when", "always")
            if when not in CONDITIONS:
                raise TemplateError(
                    f"key {section}.paragraphs[{i}].when: unknown condition {when!r}"
                    f" (known: {', '.join(sorted(CONDITIONS))})", file=fname,
                )


def _check_hs11590(data: dict, kind: str, fname: str) -> None:
    """The HS 11590 paragraph is the court's choice: neither HS 11361.8 nor 11361.9 grants
    relief from registration, so it prints only when `[hs11590] enabled = true`, and then
    only with the authority the court relies on, named in the paragraph itself."""
    enabled = get_dotted(data, "hs11590.enabled")
    if enabled is None:
        return
    if not isinstance(enabled, bool):
        raise TemplateError("key hs11590.enabled: must be true or false", file=fname)
    if not enabled:
        return
    if not str(get_dotted(data, "hs11590.authority") or "").strip():
        raise TemplateError("key hs11590.authority: name the law or order relied on before"
                            " turning hs11590.enabled on (the paragraph is never printed"
                            " without its authority)", file=fname)
    paragraphs = [p for p in get_dotted(data, "orders.paragraphs") or []
                  if isinstance(p, dict) and p.get("when") == "hs11590"]
    if not paragraphs or not all("hs11590.authority" in placeholders(p["text"])
                                 for p in paragraphs):
        raise TemplateError("key orders.paragraphs: the paragraph with when = \"hs11590\" must"
                            " contain the placeholder {hs11590.authority}", file=fname)


def _relief(data: dict, fname: str) -> dict[str, Relief]:
    table = data.get("relief")
    if not isinstance(table, dict):
        raise TemplateError("required section [relief] is missing", file=fname)
    out: dict[str, Relief] = {}
    for outcome in sorted(o.value for o in RELIEF_OUTCOMES):
        entry = table.get(outcome)
        if not isinstance(entry, dict):
            raise TemplateError(f"required section [relief.{outcome}] is missing", file=fname)
        for key in _RELIEF_KEYS:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise TemplateError(f"required key relief.{outcome}.{key} is missing", file=fname)
        out[outcome] = Relief(
            label=entry["label"], label_resentence=entry["label_resentence"],
            authority=entry["authority"], authority_resentence=entry["authority_resentence"],
            authority_pc1385=str(entry.get("authority_pc1385", "")),
        )
    return out


def _check_columns(data: dict, kind: str, fname: str) -> None:
    key, count = ("counts_table.columns", 7) if kind == "case" else ("exhibit.columns", 11)
    columns = get_dotted(data, key)
    if not isinstance(columns, list) or len(columns) != count:
        raise TemplateError(f"key {key}: must list {count} column headings", file=fname)


def get_dotted(data: dict, dotted: str, default: Any = None) -> Any:
    """`data["a"]["b"]` for "a.b", or `default` when any part is missing (templates of
    every kind: orders, notices, the confirmation of relief)."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def text_values(node: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every text value in the TOML with its dotted key (list items as key[i])."""
    out: list[tuple[str, str]] = []
    if isinstance(node, str):
        out.append((prefix, node))
    elif isinstance(node, dict):
        for k, v in node.items():
            out.extend(text_values(v, f"{prefix}.{k}" if prefix else k))
    elif isinstance(node, list):
        for i, v in enumerate(node, start=1):
            out.extend(text_values(v, f"{prefix}[{i}]"))
    return out

