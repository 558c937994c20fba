"""The store's SQL, written in SQLite's dialect, translated for PostgreSQL.

The store modules keep one text per query; this module rewrites the few SQLite idioms they use
(placeholders, `INSERT OR IGNORE`, `IS` between values, `json_each`/`json_extract`,
`group_concat`, `COLLATE NOCASE`, `date(…)`, temporary tables, untyped DDL…) into PostgreSQL's,
once per distinct text (cached). String literals are set aside first, so nothing inside a
literal is ever touched. A construct it does not know passes through unchanged, and
PostgreSQL's own error then names it: the test suite runs every store test on both engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# a string literal, or a comment (read in one pass: a quote inside a comment is no literal)
_LITERAL_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")
_MARK = "\x01"


@dataclass(frozen=True)
class Translated:
    sql: str
    # how the caller's parameters map onto the %s marks: None keeps them as given (positional
    # `?` or named `:name`), a tuple of indexes picks them for numbered `?N` marks
    order: tuple[int, ...] | None
    # an INSERT whose new id the caller may read as `lastrowid` (RETURNING id appended)
    returns_id: bool = False


def _mask(sql: str) -> tuple[str, list[str]]:
    literals: list[str] = []

    def keep(m: re.Match) -> str:
        if m.group(0).startswith("--"):
            return ""
        literals.append(m.group(0))
        return f"{_MARK}{len(literals) - 1}{_MARK}"

    return _LITERAL_OR_COMMENT.sub(keep, sql), literals


def _unmask(sql: str, literals: list[str], percent: bool = False) -> str:
    """Put the literals back (with `%` doubled when the text goes to psycopg with parameters)."""
    def literal(m: re.Match) -> str:
        text = literals[int(m.group(1))]
        return text.replace("%", "%%") if percent else text

    return re.sub(f"{_MARK}(\\d+){_MARK}", literal, sql)


def _literal_text(token: str, literals: list[str]) -> str | None:
    m = re.fullmatch(f"{_MARK}(\\d+){_MARK}", token.strip())
    return literals[int(m.group(1))][1:-1].replace("''", "'") if m else None


def _matching_paren(text: str, at: int, step: int) -> int:
    """Index of the parenthesis matching the one at `at`, searching forward (`step` 1, from
    a `(`) or backward (`step` -1, from a `)`)."""
    opening, closing = ("(", ")") if step == 1 else (")", "(")
    depth = 0
    end = len(text) if step == 1 else -1
    for i in range(at, end, step):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


def _close_paren(text: str, open_at: int) -> int:
    return _matching_paren(text, open_at, 1)


def _open_paren(text: str, close_at: int) -> int:
    return _matching_paren(text, close_at, -1)


def _split_args(inner: str) -> list[str]:
    args, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(inner[start:i].strip())
            start = i + 1
    args.append(inner[start:].strip())
    return args


def _rewrite_calls(text: str, name: str, rewrite) -> str:
    """Replace every call `name(args…)` (case-insensitive) by `rewrite(args)`."""
    pattern = re.compile(rf"\b{name}\s*\(", re.IGNORECASE)
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            return text
        open_at = m.end() - 1
        close_at = _close_paren(text, open_at)
        # calls nested in the arguments first (`date(coalesce(x, date(y, 'localtime')), …)`)
        args = [_rewrite_calls(a, name, rewrite) for a in _split_args(text[open_at + 1:close_at])]
        replacement = rewrite(args)
        if replacement is None:
            pos = m.end()
            continue
        text = text[:m.start()] + replacement + text[close_at + 1:]
        pos = m.start() + len(replacement)


def _json_path(path: str | None) -> str:
    """`$.key` → `->> 'key'`; `$[0]` → `->> 0`."""
    if path is None:
        raise ValueError("json_extract needs a literal path")
    if m := re.fullmatch(r"\$\.(\w+)", path):
        return f"->> '{m.group(1)}'"
    if m := re.fullmatch(r"\$\[(\d+)\]", path):
        return f"->> {m.group(1)}"
    raise ValueError(f"json path {path!r} not supported")


_ID_LIKE = re.compile(r"(^|\.)(id|\w+_id|rowid)$", re.IGNORECASE)


def _expression_before(text: str, end: int) -> int:
    """Start of the operand ending just before `end` (a name, a call or a parenthesis)."""
    i = end
    while i > 0 and text[i - 1] == " ":
        i -= 1
    if i > 0 and text[i - 1] == ")":
        start = _open_paren(text, i - 1)
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_."):
            start -= 1
        return start
    start = i
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.\"?" or text[start - 1] == _MARK):
        start -= 1
    return start


def _nocase(text: str) -> str:
    """`x COLLATE NOCASE` → `lower(x)`; `a = ? COLLATE NOCASE` → `lower(a) = lower(?)`."""
    pattern = re.compile(r"\s+COLLATE\s+NOCASE\b", re.IGNORECASE)
    while m := pattern.search(text):
        start = _expression_before(text, m.start())
        operand = text[start:m.start()].strip()
        head = text[:start]
        comparison = re.search(r"(\s*(=|<>|!=|>=|<=|>|<)\s*)$", head)
        replacement = f"lower({operand})"
        if comparison:
            left_start = _expression_before(head, comparison.start())
            left = head[left_start:comparison.start()].strip()
            head = head[:left_start] + f"lower({left})" + comparison.group(1)
        text = head + replacement + text[m.end():]
    return text


def _subquery_aliases(text: str) -> str:
    """PostgreSQL 15 needs an alias on every subquery in FROM."""
    pattern = re.compile(r"\b(FROM|JOIN)\s*\(\s*SELECT\b", re.IGNORECASE)
    pos, n = 0, 0
    while m := pattern.search(text, pos):
        open_at = text.index("(", m.start())
        close_at = _close_paren(text, open_at)
        after = text[close_at + 1:]
        if not re.match(r"\s*(AS\s+)?(?!WHERE\b|ORDER\b|GROUP\b|UNION\b|EXCEPT\b|LIMIT\b|ON\b"
                        r"|INTERSECT\b|JOIN\b|LEFT\b|INNER\b)[A-Za-z_]\w*", after, re.IGNORECASE):
            n += 1
            text = text[:close_at + 1] + f" AS _q{n}" + text[close_at + 1:]
        pos = open_at + 1
    return text


def _dates(text: str, literals: list[str]) -> str:
    def rewrite(args: list[str]) -> str | None:
        first = _literal_text(args[0], literals)
        modifiers = args[1:]
        if first == "now" and [_literal_text(a, literals) for a in modifiers] == ["localtime"]:
            return "to_char(now(), 'YYYY-MM-DD')"
        if len(modifiers) == 1 and _literal_text(modifiers[0], literals) == "localtime":
            return f"to_char(CAST({args[0]} AS timestamptz), 'YYYY-MM-DD')"
        if len(modifiers) == 1:  # '+' || n || ' days'
            days = re.fullmatch(rf"{_MARK}\d+{_MARK}\s*\|\|\s*(.+?)\s*\|\|\s*{_MARK}\d+{_MARK}",
                                modifiers[0], re.DOTALL)
            if days:
                return (f"to_char(CAST({args[0]} AS date) + CAST({days.group(1)} AS int),"
                        " 'YYYY-MM-DD')")
        if not modifiers:
            return f"to_char(CAST({args[0]} AS timestamptz), 'YYYY-MM-DD')"
        return None

    return _rewrite_calls(text, "date", rewrite)


def _json(text: str, literals: list[str]) -> str:
    # SQLite's `x -> '$.key'`: the value as JSON text (NULL when absent)
    def arrow(m: re.Match) -> str:
        path = _json_path(_literal_text(m.group(2), literals)).replace("->>", "->")
        return f"CAST(CAST({m.group(1)} AS jsonb) {path} AS text)"

    text = re.sub(rf"([\w.]+)\s*->\s*({_MARK}\d+{_MARK})", arrow, text)
    text = _rewrite_calls(text, "json_extract", lambda a: (
        f"(CAST({a[0]} AS jsonb) {_json_path(_literal_text(a[1], literals))})"))

    # `x IN (SELECT value FROM json_each(?))`: typed by what x is (ids are numbers)
    def in_list(m: re.Match) -> str:
        left, arg = m.group(1), m.group(2)
        cast = "bigint" if _ID_LIKE.search(left) else "text"
        return (f"{left} IN (SELECT CAST(value AS {cast})"
                f" FROM jsonb_array_elements_text(CAST({arg} AS jsonb)) AS value)")

    text = re.sub(r"([\w.]+)\s+IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(([^()]+)\)\s*\)",
                  in_list, text, flags=re.IGNORECASE)
    # `json_each(col) j` in FROM: j.value is text
    text = re.sub(r"\bjson_each\(([^()]+)\)(\s+(?:AS\s+)?(\w+))?",
                  lambda m: (f"jsonb_array_elements_text(CAST({m.group(1)} AS jsonb))"
                             f" AS {m.group(3) or 'json_each'}(value)"),
                  text, flags=re.IGNORECASE)
    return text


def _lenient_integer(m: re.Match) -> str:
    """SQLite's CAST of a text column to INTEGER reads its leading digits (0 when there are
    none: a count key like `1a` or ``); PostgreSQL's refuses such text. Ids stay plain casts."""
    column = m.group(1)
    if _ID_LIKE.search(column):
        return f"CAST({column} AS bigint)"
    return (f"coalesce(CAST(substring(CAST({column} AS text) from '^ *[-+]{{0,1}}[0-9]{{1,18}}')"
            " AS bigint), 0)")


def _functions(text: str) -> str:
    text = _rewrite_calls(text, "json_group_array", lambda a: (
        f"coalesce(CAST(json_agg({a[0]}) AS text), '[]')"))
    text = _rewrite_calls(text, "json_array", lambda a: (
        f"CAST(json_build_array({', '.join(a)}) AS text)"))
    text = _rewrite_calls(text, "json_quote", lambda a: f"CAST(to_json({a[0]}) AS text)")
    text = _rewrite_calls(text, "char", lambda a: f"chr({a[0]})" if len(a) == 1 else None)
    text = _rewrite_calls(text, "group_concat", lambda a: (
        f"string_agg(CAST({a[0]} AS text), {a[1] if len(a) > 1 else repr(',')})"))
    text = _rewrite_calls(text, "total", lambda a: (
        f"CAST(coalesce(sum({a[0]}), 0) AS double precision)"))
    text = _rewrite_calls(text, "ifnull", lambda a: f"coalesce({', '.join(a)})")
    text = _rewrite_calls(text, "max", lambda a: f"greatest({', '.join(a)})" if len(a) > 1 else None)
    text = _rewrite_calls(text, "min", lambda a: f"least({', '.join(a)})" if len(a) > 1 else None)
    text = re.sub(r"\bCAST\(\s*([A-Za-z_][\w.]*)\s+AS\s+INTEGER\s*\)", _lenient_integer, text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\bAS\s+INTEGER\b", "AS bigint", text, flags=re.IGNORECASE)
    text = re.sub(r"\bAS\s+REAL\b", "AS double precision", text, flags=re.IGNORECASE)
    return text


def _is_distinct(text: str) -> str:
    text = re.sub(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", "IS DISTINCT FROM ",
                  text, flags=re.IGNORECASE)
    return re.sub(r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", "IS NOT DISTINCT FROM ",
                  text, flags=re.IGNORECASE)


# SQLite's unary `+` before a column keeps the planner off that column's index; PostgreSQL has
# no unary plus for text: the column alone (after a keyword, `(`, `,` or a comparison)
_UNARY_PLUS = re.compile(
    r"((?:\b(?:AND|OR|NOT|WHERE|ON|BY|SELECT|WHEN|THEN|ELSE|IS|IN)\s+|[(,=<>]\s*))\+(?=[A-Za-z_\"])",
    re.IGNORECASE)


# `column LIKE ?` (SQLite's LIKE ignores ASCII case) as `lower(column) LIKE lower(?)`: the same
# match in a C-collated database, and one an index on lower(column) (what `COLLATE NOCASE`
# indexes become) answers for a prefix; ILIKE, the fallback for other forms, reads every row
_COLUMN_LIKE = re.compile(rf"(?<![\w.])([A-Za-z_][\w.]*)\s+(NOT\s+)?LIKE\s+(\?\d*|:[A-Za-z_]\w*"
                          rf"|{_MARK}\d+{_MARK})", re.IGNORECASE)
_KEEP_LIKE = "\x02kept_like\x02"


def _column_like(text: str) -> str:
    return _COLUMN_LIKE.sub(lambda m: f"lower({m.group(1)}) {m.group(2) or ''}{_KEEP_LIKE}"
                            f" lower({m.group(3)})", text)


def _temp(text: str) -> str:
    text = re.sub(r"\bCREATE\s+INDEX\s+temp\.", "CREATE INDEX ", text, flags=re.IGNORECASE)
    return re.sub(r"\btemp\.(?=\w)", "pg_temp.", text, flags=re.IGNORECASE)


_DDL_TYPES = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bVIRTUAL\b", re.IGNORECASE), "STORED"),
]


def ddl(sql: str) -> str:
    """A CREATE TABLE in SQLite's types → PostgreSQL's. A table without an integer key gets a
    hidden `rowid` (insertion order), which SQLite gives every table."""
    out = sql
    for pattern, replacement in _DDL_TYPES:
        out = pattern.sub(replacement, out)
    m = re.match(r"\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?[\w.]+\s*\(",
                 out, re.IGNORECASE)
    if m and "IDENTITY PRIMARY KEY" not in out.upper() and not re.search(r"\browid\b", out,
                                                                         re.IGNORECASE):
        close_at = _close_paren(out, m.end() - 1)
        out = (out[:close_at].rstrip() + ",\n    rowid BIGINT GENERATED ALWAYS AS IDENTITY"
               + out[close_at:])
    return out


def _insert_or_ignore(text: str) -> tuple[str, bool]:
    new = re.sub(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", "INSERT INTO", text, flags=re.IGNORECASE)
    return new, new != text


_PLACEHOLDER = re.compile(r"\?(\d*)|(?<![:\w]):([A-Za-z_]\w*)")


def _placeholders(text: str) -> tuple[str, tuple[int, ...] | None]:
    text = text.replace("%", "%%")
    order: list[int] = []
    numbered = False

    def mark(m: re.Match) -> str:
        nonlocal numbered
        if m.group(2):
            return f"%({m.group(2)})s"
        if m.group(1):
            numbered = True
            order.append(int(m.group(1)) - 1)
        else:
            order.append(len(order))
        return "%s"

    text = _PLACEHOLDER.sub(mark, text)
    return text, tuple(order) if numbered else None


ID_TABLES_PATTERN = re.compile(r"^\s*INSERT\s+INTO\s+([\w.]+)\s*(\([^)]*\))?\s*VALUES\b",
                               re.IGNORECASE)


@lru_cache(maxsize=4096)
def translate(sql: str, id_tables: frozenset[str] = frozenset(),
              with_params: bool = True) -> Translated:
    """SQLite-dialect `sql` → PostgreSQL (cached by text). `with_params`: the text goes to
    psycopg with a parameter list (so `%` is doubled); False for scripts run as they are."""
    masked, literals = _mask(sql)
    text = masked
    if re.match(r"\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\b", text, re.IGNORECASE) and \
            not re.search(r"\bAS\s+SELECT\b", text, re.IGNORECASE):
        text = ddl(text)
    text, ignore = _insert_or_ignore(text)
    text = _temp(text)
    text = _UNARY_PLUS.sub(r"\1", text)
    text = re.sub(r"\s+(INDEXED\s+BY\s+\w+|NOT\s+INDEXED)\b", "", text, flags=re.IGNORECASE)
    text = _dates(text, literals)
    text = _json(text, literals)
    text = _functions(text)
    text = _nocase(text)
    text = _is_distinct(text)
    text = _column_like(text)
    text = re.sub(r"(?<!I)\bLIKE\b", "ILIKE", text)
    text = text.replace(_KEEP_LIKE, "LIKE")
    text = _subquery_aliases(text)
    text = text.rstrip().rstrip(";")
    returns_id = False
    insert = ID_TABLES_PATTERN.match(text)
    if ignore:
        text += " ON CONFLICT DO NOTHING"
    if insert and insert.group(1).lower() in id_tables and " RETURNING " not in text.upper():
        text += " RETURNING id"
        returns_id = True
    if not with_params:
        return Translated(_unmask(text, literals), None, returns_id)
    text, order = _placeholders(text)
    return Translated(_unmask(text, literals, percent=True), order, returns_id)
