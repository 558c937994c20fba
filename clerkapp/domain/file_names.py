"""How per-case order files are named (setting `orders.file_names`): by the case number alone
by default, so no person's name sits in a folder listing, a backup log or a mail attachment,
unless the court chooses otherwise."""

from __future__ import annotations

FILE_NAME_STYLES = {"case": "the case number", "case-name": "the case number and the name"}
DEFAULT_STYLE = "case"


def check_file_name_style(value: object) -> None:
    """ValueError unless `value` is one of FILE_NAME_STYLES (empty: the default)."""
    if str(value or DEFAULT_STYLE).strip() not in FILE_NAME_STYLES:
        raise ValueError(f"{value!r}: use one of {', '.join(FILE_NAME_STYLES)}")
