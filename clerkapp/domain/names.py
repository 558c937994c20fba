"""People's names as clerks' files write them, compared the way a clerk would.

The same person is `GARCIA-LOPEZ,MARIA E` in the DOJ file, `Maria Garcia Lopez` in the
court's export and `Maria Garcia` on a counter form: surname first or last, hyphenated or
double surnames, initials, accents, an alias, a typo. These functions turn a name into
comparable tokens (`parse_name`), say how alike two names are on a 0-100 scale
(`name_similarity`, built on rapidfuzz), and give the exact keys under which two spellings of
one name meet (`name_tokens`), so a matcher only compares names that share a key. Pure: no
store, no files. Reconciliation (`clerkapp.reconcile`) and look-ups at the counter use them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

# Generational suffixes and honorifics: not part of what identifies a name.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "mr", "mrs", "ms", "dr"})
_AKA = re.compile(r"\b(?:AKA|A/K/A|ALIAS|ALSO KNOWN AS)\b[:.]?", re.IGNORECASE)
_NOT_LETTER = re.compile(r"[^a-z,\- ]+")
_SPACES = re.compile(r"[\s]+")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as tokens: `surnames` (a double or hyphenated surname gives two) and `given`
    (first, then middle names or initials). `surname_known`: the text said which part is the
    surname (a comma); otherwise the last word was taken as the surname."""

    surnames: tuple[str, ...]
    given: tuple[str, ...]
    surname_known: bool = True

    @property
    def tokens(self) -> tuple[str, ...]:
        return self.surnames + self.given

    @property
    def text(self) -> str:
        """Comparable text, surname first: `garcia lopez maria e`."""
        return " ".join(self.tokens)

    def __bool__(self) -> bool:
        return bool(self.surnames or self.given)


def fold(text: str) -> str:
    """Lower case, accents dropped (`Nuñez` -> `nunez`), apostrophes and dots removed
    (`O'Brien` -> `obrien`), every other non-letter a space except comma and hyphen."""
    if text.isascii():
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("'", "").replace("’", "").replace(".", " ")
    return _SPACES.sub(" ", _NOT_LETTER.sub(" ", plain)).strip()


def _words(text: str) -> list[str]:
    """Hyphenated parts become separate words; suffixes are dropped."""
    out = []
    for word in text.replace("-", " ").split():
        if word and word not in _SUFFIXES:
            out.append(word)
    return out


@lru_cache(maxsize=65536)
def parse_name(text: str | None) -> PersonName:
    """`LAST,FIRST MIDDLE`, `Last, First` or `First Middle Last` -> a PersonName.

    With a comma the part before it is the surname (hyphenated or double: several tokens).
    Without one the last word is taken as the surname; `name_similarity` also compares the
    other way round, so a transposed name still meets its twin. An `AKA` part is dropped here
    (see `name_variants`)."""
    if not text:
        return PersonName((), ())
    lower = text.lower()
    aka = "aka" in lower or "a/k/a" in lower or "alias" in lower or "also known" in lower
    main = _AKA.split(text, maxsplit=1)[0] if aka else text
    folded = fold(main)
    if "," in folded:
        last, _, rest = folded.partition(",")
        surnames = tuple(_words(last))
        given = tuple(_words(rest.replace(",", " ")))
        if surnames or given:
            return PersonName(surnames, given, True)
        return PersonName((), ())
    words = _words(folded)
    if not words:
        return PersonName((), ())
    if len(words) == 1:
        return PersonName((words[0],), (), False)
    return PersonName((words[-1],), tuple(words[:-1]), False)


def name_variants(text: str | None, aliases: tuple[str, ...] | list[str] = ()) -> list[PersonName]:
    """Every name a person goes by: the main name, the `AKA` parts written inside it, and the
    aliases a file lists (DOJ's `people.aliases`). Empty names are left out."""
    texts: list[str] = []
    if text:
        lower = text.lower()
        if "aka" in lower or "a/k/a" in lower or "alias" in lower or "also known" in lower:
            texts.extend(part for part in _AKA.split(text) if part.strip())
        else:
            texts.append(text)
    texts.extend(a for a in aliases if a and a.strip())
    out: list[PersonName] = []
    for t in texts:
        name = parse_name(t)
        if name and name not in out:
            out.append(name)
    return out


def name_tokens(name: PersonName) -> set[str]:
    """The words two spellings of one name share, whatever their order: each surname part,
    each given name of two letters or more, and a double surname written as one word
    (`garcialopez`). A matcher blocks on these together with the date of birth."""
    out = {t for t in name.tokens if len(t) >= 2}
    if len(name.surnames) > 1:
        out.add("".join(name.surnames))
    return out


def _expand_initials(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """`j` in `a` becomes `john` when `b` has a word starting with j (and lacks `j` itself)."""
    out = []
    for token in a:
        if len(token) == 1 and token not in b:
            full = next((t for t in b if len(t) > 1 and t[0] == token), None)
            out.append(full or token)
        else:
            out.append(token)
    return tuple(out)


def _given_similarity(x: str, y: str) -> float:
    """First names: an initial agrees with any name it starts."""
    if len(x) == 1 or len(y) == 1:
        return 100.0 if x[0] == y[0] else 0.0
    return fuzz.ratio(x, y)


def _by_parts(a: PersonName, b: PersonName) -> float:
    """Surname and first name compared each with its own, or crossed (a transposed name);
    middle names left out, so one side's missing middle name costs little."""
    if not (a.surnames and a.given and b.surnames and b.given):
        return 0.0
    sur_a, sur_b = " ".join(a.surnames), " ".join(b.surnames)
    straight = (fuzz.ratio(sur_a, sur_b) + _given_similarity(a.given[0], b.given[0])) / 2
    crossed = (fuzz.ratio(sur_a, b.given[0]) + _given_similarity(a.given[0], sur_b)) / 2
    return max(straight, crossed) - 2.0


def _pair_score(a: PersonName, b: PersonName) -> float:
    ta = _expand_initials(a.tokens, b.tokens)
    tb = _expand_initials(b.tokens, a.tokens)
    sa, sb = " ".join(ta), " ".join(tb)
    # word order ignored: transposed first and last names, surname first or last
    score = max(fuzz.token_sort_ratio(sa, sb), _by_parts(a, b))
    if score < 100 and len(ta) >= 2 and len(tb) >= 2:
        # a middle name or the second half of a double surname present on one side only
        common = set(ta) & set(tb)
        if len(common) >= 2:
            score = max(score, fuzz.token_set_ratio(sa, sb) - 4)
        # a double surname written as one word on one side
        joined_a = "".join(ta) if len(ta) <= 4 else sa
        joined_b = "".join(tb) if len(tb) <= 4 else sb
        if joined_a == joined_b:
            score = max(score, 97.0)
    if a.surnames and b.surnames and a.surname_known and b.surname_known:
        # both said which part is the surname: a surname unlike the other's surname
        # (and unlike its given names, which would be a transposition) is a different person
        sur_a, sur_b = " ".join(a.surnames), " ".join(b.surnames)
        if (fuzz.ratio(sur_a, sur_b) < 60 and fuzz.partial_ratio(sur_a, sur_b) < 80
                and fuzz.token_set_ratio(sur_a, " ".join(b.given)) < 80):
            score = min(score, 60.0)
    return float(score)


def name_similarity(a: PersonName | list[PersonName], b: PersonName | list[PersonName]) -> float:
    """0-100: how alike two names are (or two people's lists of names: the best pair).

    Tolerates order (`LAST,FIRST` vs `First Last`, transposed), hyphenated and double
    surnames, initials (`J SMITH` ~ `John Smith`), accents and typos (rapidfuzz's
    normalized Indel similarity). 100 is the same words; about 90 one typo in a short name."""
    left = a if isinstance(a, list) else [a]
    right = b if isinstance(b, list) else [b]
    best = 0.0
    for x in left:
        for y in right:
            if x and y:
                best = max(best, _pair_score(x, y))
                if best >= 100:
                    return 100.0
    return best


def first_name_first(text: str | None) -> str:
    """A record's `ALPHA,ANNA MARIE` as a letter addresses it, `ANNA MARIE ALPHA` (spelling
    and accents as recorded)."""
    raw = (text or "").strip()
    if "," not in raw:
        return " ".join(raw.split())
    head, _, tail = raw.partition(",")
    return " ".join(f"{tail} {head}".split())
