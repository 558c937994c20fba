"""Code-section text as records spell it, turned into one `Section`.

Court and DOJ records write the same charge a dozen ways (`11357(C)HS-POSS MARIJUANA`,
`H&S 11357(c)`, `664/11357(c) HS`, `11357C`). The rules compare sections, so every form must
land on the same `Section`. The parser reads the charge at the start of the text (or the first
`CODE number` pair inside it) and ignores whatever description follows.

Decisions worth knowing:
- Code aliases: HS/H&S/H+S/HSC -> HS; PC/P.C. -> PC; VC/CVC -> VC; BP/B&P/BPC -> BP;
  WI/W&I/WIC -> WI; a few other codes (FG, WC, GC, MV, ...) are kept as written.
- A number without a code is inferred: HS for 11000-11651 (Division 10, controlled
  substances) except PC 11410-11419 and PC 11460 (terrorism, weapons of mass destruction);
  PC for everything else. So `187` is `PC 187` and `11357` is `HS 11357`.
- `664` (attempt) and `182` (conspiracy), before or after the target, set the flags. The code
  written beside them is PC (theirs), so `182/11359 PC` is a conspiracy to commit HS 11359: with
  a 664/182 wrapper an explicit PC is ignored and the target's code is inferred from its number.
- A comma followed by one to three digits stands for a period (`496,3` -> `496.3`); `.0`
  is dropped (`11357.0` is a number cell read as text).
- Letters glued to the number: for the Penal Code they belong to the number, which is how
  lettered sections are written (`273AB PC` -> `PC 273ab`, `288A(B)(1)` -> `PC 288a(b)(1)`,
  `653F(B)` -> `PC 653f(b)`); for other codes they are subsections (`11357B2` -> `HS
  11357(b)(2)`, `23152A VC` -> `VC 23152(a)`). `245A1 PC` (a letter and a digit) is
  subsections too. Spelled-out codes are read (`HEALTH & SAFETY CODE 11357`, `PENAL CODE 187`).
- `11357.5` is its own section (number `11357.5`), never 11357.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clerkapp.domain.records import Section

__all__ = ["infer_code", "parse_section", "section_matches"]

# Canonical code -> spellings, written as their letters only (punctuation is stripped before
# lookup, so "H&S", "H + S" and "H.S." all reduce to "HS").
_CODE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "HS": ("HS", "HSC"),
    "PC": ("PC", "CPC"),
    "VC": ("VC", "CVC", "VEH"),
    "BP": ("BP", "BPC"),
    "WI": ("WI", "WIC"),
    "FG": ("FG", "FGC"),
    "WC": ("WC", "WAT"),
    "GC": ("GC", "GOV"),
    "MV": ("MV", "MVC"),
    "RT": ("RT", "RTC"),
    "PR": ("PR", "PRC"),
    "EC": ("EC", "EDC"),
    "FA": ("FA", "FAC"),
    "HN": ("HN", "HNC"),
    "IC": ("IC", "INS"),
    "LC": ("LC", "LAB"),
    "UI": ("UI", "UIC"),
    "CC": ("CC", "CIV"),
    "CCP": ("CCP",),
    "MC": ("MC",),
}
_CODE_OF: dict[str, str] = {
    spelling: code for code, spellings in _CODE_SPELLINGS.items() for spelling in spellings
}


def _spelling_pattern(letters: str, joiner: str) -> str:
    # "HS" -> H\.?\s*[&+]?\s*S\.? : matches HS, H&S, H & S, H+S, H.S.
    return joiner.join(re.escape(ch) for ch in letters) + r"\.?"


def _codes_pattern(joiner: str) -> str:
    spellings = sorted(_CODE_OF, key=len, reverse=True)
    return "(?:" + "|".join(_spelling_pattern(s, joiner) for s in spellings) + ")"


_AND = r"\s*(?:&|\+|AND)\s*"
# Spelled-out names (`HEALTH & SAFETY CODE 11357`, `PENAL CODE 187`); canonicalized by first word.
_LONG_NAMES = {
    "HEALTH": "HEALTH" + _AND + r"SAFETY(?:\s*CODE)?",
    "PENAL": r"PENAL(?:\s*CODE)?",
    "VEHICLE": r"VEHICLE(?:\s*CODE)?",
    "BUSINESS": "BUSINESS" + _AND + r"PROF(?:ESSIONS?)?\.?(?:\s*CODE)?",
    "WELFARE": "WELFARE" + _AND + r"INST(?:ITUTIONS?)?\.?(?:\s*CODE)?",
}
_LONG_CODE = {"HEALTH": "HS", "PENAL": "PC", "VEHICLE": "VC", "BUSINESS": "BP", "WELFARE": "WI"}
_CODE_RE = ("(?:" + "|".join(_LONG_NAMES.values()) + "|"
            + _codes_pattern(r"\.?\s*[&+]?\s*") + r"(?:\s*CODE)?)")
_CODE_TIGHT_RE = _codes_pattern(r"\.?[&+]?")  # glued to a number: no spaces inside

# A code directly at the cursor (after optional spaces / a dash); not followed by a letter
# unless the code is glued to a description (`11359HS-INTENT`, handled by the caller).
_CODE_AT = re.compile(r"[\s\-]*(" + _CODE_RE + r")(?![A-Z])")
_CODE_GLUED = re.compile("(" + _CODE_TIGHT_RE + ")")
# `11357H & S`: a spaced spelling counts after a glued number only with its `&` / `+`.
_CODE_AMP = re.compile(_codes_pattern(r"\.?\s*[&+]\s*") + r"(?![A-Z])")
# A leading code before the number: `HS 11357`, `H&S-11357`, `PC§187`, `HS SEC. 11357`.
_LEAD_CODE = re.compile(r"(" + _CODE_RE + r")\s*(?:SEC(?:TION)?\.?)?\s*[-.:§#]?\s*(?=\d)")
# A `CODE number` pair anywhere in the text, when the text does not start with the charge.
_CODE_ANYWHERE = re.compile(r"(?<![A-Z])(" + _CODE_RE + r")\s*(?:SEC(?:TION)?\.?)?\s*[-.:§#]?\s*(?=\d)")
_DIGITS = re.compile(r"\d+")
_DECIMAL = re.compile(r"[.,](\d{1,3})(?!\d)")
_PAREN_SUB = re.compile(r"\s*[(\[]\s*([A-Z0-9]{1,4})\s*[)\]]")
_MIXED_SUB = re.compile(r"([a-z])(\d{1,2})|(\d{1,2})([a-z])")
_WRAPPER_CODE = re.compile(r"\s*(?:PC|P\.C\.|PENAL(?:\s*CODE)?)(?=\s*[/\\\-])")
_WRAP_SEP = re.compile(r"\s*[/\\\-.,]\s*|\s+")
_TRAIL_WRAP = re.compile(r"\s*[/\\\-]\s*(664|182)(?!\d)(?:\s*(?:[(\[]\s*[A-Z0-9]{1,4}\s*[)\]]))*")
# Fast path for the common shapes (`11357(C)HS-POSS ...`, `11360(A)(2) HS`, `HS 11357(a)`, `187`);
# anything it does not accept goes through the full scanner, which gives the same answer.
_NOT_TRAIL_WRAP = r"(?=$|[\s-](?![\s/\\-]*(?:664|182)(?!\d)))"
_FAST_NUMBER_FIRST = re.compile(
    r"([1-9]\d{0,4})(?:\.(\d{1,3}))?((?:\((?:[A-Z]|\d{1,2})\))*)"
    r"(?:\s*(HS|H&S|PC|VC|BP|WI)" + _NOT_TRAIL_WRAP + r"|$|(?=\s+\d))"
)
_FAST_CODE_FIRST = re.compile(
    r"(HS|H&S|PC|VC|BP|WI) ?([1-9]\d{0,4})(?:\.(\d{1,3}))?((?:\((?:[A-Z]|\d{1,2})\))*)"
    r"(?=$|\s*-(?!\s*(?:664|182)(?!\d))|\s+\d)"
)
_SIMPLE_SUB = re.compile(r"\(([A-Z0-9]+)\)")
_LEADING_JUNK = " \t\r\n\"'*#:;,.-"
_WRAPPERS = {"664": "attempted", "182": "conspiracy"}
_WRAPPER_HEADS = tuple(_WRAPPERS)


def infer_code(number: str) -> str:
    """The code a bare section number belongs to (see the module docstring)."""
    whole = number.split(".", 1)[0]
    if not whole.isdecimal():
        return "PC"
    n = int(whole)
    if 11000 <= n <= 11651 and not (11410 <= n <= 11419 or n == 11460):
        return "HS"
    return "PC"


def _canonical_code(token: str) -> str:
    for word, code in _LONG_CODE.items():
        if token.startswith(word):
            return code
    letters = "".join(ch for ch in token if ch.isalpha())
    if letters.endswith("CODE") and len(letters) > 4:
        letters = letters[:-4]
    return _CODE_OF.get(letters, letters)


class _Cursor:
    """A tiny scanner over the upper-cased text."""

    __slots__ = ("text", "pos")

    def __init__(self, text: str, pos: int = 0) -> None:
        self.text = text
        self.pos = pos

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.text, self.pos)
        if m:
            self.pos = m.end()
        return m


def _is_code_at(text: str, pos: int) -> bool:
    return bool(_CODE_GLUED.match(text, pos) or _CODE_AMP.match(text, pos))


def _read_glued(cur: _Cursor) -> list[str]:
    """What is glued to the number without parentheses: `11357B2` -> ["b", "2"],
    `273AB` -> ["ab"] (a lettered section or two subsections: the caller decides by code)."""
    tokens: list[str] = []
    text = cur.text
    end = len(text)
    while cur.pos < end:
        ch = text[cur.pos]
        if ch.isalpha():
            if tokens and tokens[-1].isalpha():
                break
            if _is_code_at(text, cur.pos):
                break  # `11359HS`: the code, not a subsection
            stop = cur.pos + 1
            if stop < end and text[stop].isalpha() and not _is_code_at(text, stop):
                stop += 1  # `273AB`
            if stop < end and text[stop].isalpha() and not _is_code_at(text, stop):
                break  # a word (`11357POSS`), not a subsection
            tokens.append(text[cur.pos:stop].lower())
            cur.pos = stop
        elif ch.isdecimal() and tokens and tokens[-1].isalpha():
            m = cur.match(_DIGITS)
            assert m is not None
            tokens.append(m.group())
        else:
            break
    return tokens


def _read_paren_subs(cur: _Cursor) -> list[str]:
    """`(a)(2)`; `(A1)` is two levels, `(iv)` one."""
    subs: list[str] = []
    while m := cur.match(_PAREN_SUB):
        sub = m.group(1).lower()
        split = _MIXED_SUB.fullmatch(sub)
        if split:
            subs.extend(g for g in split.groups() if g)
        else:
            subs.append(sub)
    return subs


def _read_number(cur: _Cursor) -> str | None:
    m = cur.match(_DIGITS)
    if not m:
        return None
    number = m.group().lstrip("0")
    if not number or len(number) > 5:
        return None
    d = _DECIMAL.match(cur.text, cur.pos)
    if d:
        cur.pos = d.end()
        if d.group(1).strip("0"):  # `11357.0` (a number cell read as text) is 11357
            number += "." + d.group(1)
    return number


def _read_wrapper(cur: _Cursor, flags: dict[str, bool]) -> None:
    """Consume a leading `664/`, `182/`, `664.`, `664-`, `664 ` or glued `664` before a target."""
    text = cur.text
    for _ in range(2):  # `182/664/11359` is rare but harmless
        if not text.startswith(_WRAPPER_HEADS, cur.pos):
            return
        m = _DIGITS.match(text, cur.pos)
        if not m:
            return
        run = m.group()
        head = run[:3]
        if head not in _WRAPPERS:
            return
        if len(run) >= 6:  # glued: `66411357`; no section number has six digits
            flags[_WRAPPERS[head]] = True
            cur.pos += 3
            continue
        if len(run) != 3:
            return
        probe = _Cursor(text, m.end())
        while probe.match(_PAREN_SUB):
            pass  # `182(A)(1)/11359`
        probe.match(_WRAPPER_CODE)  # `664 PC/187`, `182(A)(1) PC/11359 HS`
        sep = probe.match(_WRAP_SEP)
        if not sep:
            return
        lead = _LEAD_CODE.match(text, probe.pos)  # `664/HS 11357`
        after = lead.end() if lead else probe.pos
        target = _DIGITS.match(text, after)
        if not target or len(target.group()) < 2:
            return
        if sep.group().strip() in {".", ","} and len(target.group()) < 3:
            return  # `182.5` is a section of its own
        flags[_WRAPPERS[head]] = True
        cur.pos = probe.pos


def _fast(text: str) -> Section | None:
    m = _FAST_NUMBER_FIRST.match(text)
    if m:
        number, decimal, subs, code = m.groups()
    else:
        m = _FAST_CODE_FIRST.match(text)
        if not m:
            return None
        code, number, decimal, subs = m.groups()
    if number in _WRAPPERS or (decimal and not decimal.strip("0")):
        return None
    if decimal:
        number += "." + decimal
    code = "HS" if code == "H&S" else code or infer_code(number)
    return Section(code, number, tuple(x.lower() for x in _SIMPLE_SUB.findall(subs)))


@lru_cache(maxsize=131072)
def _parse(text: str) -> Section | None:
    return _fast(text) or _scan(text)


def _scan(text: str) -> Section | None:
    """The full scanner: every spelling the module docstring lists."""
    start = len(text) - len(text.lstrip(_LEADING_JUNK))
    cur = _Cursor(text, start)
    codes: list[str] = []
    lead = None if text[start:start + 1].isdecimal() else cur.match(_LEAD_CODE)
    if lead:
        codes.append(_canonical_code(lead.group(1)))
    elif cur.pos >= len(text) or not text[cur.pos].isdecimal():
        found = _CODE_ANYWHERE.search(text, cur.pos)
        if not found:
            return None
        cur.pos = found.end()
        codes.append(_canonical_code(found.group(1)))
    flags = {"attempted": False, "conspiracy": False}
    _read_wrapper(cur, flags)
    wrapped_code = None if text[cur.pos:cur.pos + 1].isdecimal() else cur.match(_LEAD_CODE)
    if wrapped_code:  # `664/HS 11357`: the code after the wrapper is the target's
        codes = [_canonical_code(wrapped_code.group(1))]
    number = _read_number(cur)
    if number is None:
        return None
    glued = _read_glued(cur)
    subs = _read_paren_subs(cur)
    code_m = cur.match(_CODE_AT) or cur.match(_CODE_GLUED)
    if code_m:
        codes.append(_canonical_code(code_m.group(1)))
    trail = cur.match(_TRAIL_WRAP) if ("664" in text or "182" in text) else None
    if trail:
        flags[_WRAPPERS[trail.group(1)]] = True
        code_m = cur.match(_CODE_AT)
        if code_m:
            codes.append(_canonical_code(code_m.group(1)))
    if flags["attempted"] or flags["conspiracy"]:
        # The PC written beside 664/182 is the wrapper's own code, not the target's.
        target_codes = [c for c in codes if c != "PC"]
        code = target_codes[0] if target_codes else infer_code(number)
    else:
        code = codes[-1] if codes else infer_code(number)
    if glued:
        if code == "PC" and len(glued) == 1 and int(number.split(".")[0]) < 10000:
            number += glued[0]  # a lettered section: `273AB PC`, `288A(B)(1)`, `1203.4A`
        else:  # subsections glued on: `11357B2` -> (b)(2); `11357AB` -> (a)(b)
            split = [part for token in glued for part in (token if token.isalpha() else [token])]
            subs = split + subs
    return Section(code, number, tuple(subs), flags["attempted"], flags["conspiracy"])


def parse_section(text: str | None) -> Section | None:
    """The section a charge text names, or None when it names none (`SEE COMMENT FOR CHARGE`).

    Never raises on text; description after the charge is ignored.
    """
    if not text:
        return None
    if not isinstance(text, str):
        text = str(text)
    return _parse(text.upper().strip())


def section_matches(section: Section | None, entry: str | Section, *, inchoate: bool = False) -> bool:
    """Whether `section` falls under a listed `entry` such as `PC 288(b)`.

    An entry without subsections matches every subsection; one with subsections matches that
    subsection and deeper ones (`PC 288(b)` matches `PC 288(b)(1)`, not `PC 288(a)`). Attempt
    and conspiracy flags must agree (`PC 664/187` is listed separately from `PC 187`) unless
    `inchoate=True`, which matches attempts and conspiracies of a listed section too.
    """
    if section is None:
        return False
    listed = entry if isinstance(entry, Section) else parse_section(entry)
    if listed is None:
        return False
    if listed.code != section.code or listed.number != section.number:
        return False
    if section.subs[: len(listed.subs)] != listed.subs:
        return False
    if inchoate:
        return True
    return (listed.attempted, listed.conspiracy) == (section.attempted, section.conspiracy)
