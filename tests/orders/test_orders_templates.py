"""Templates load and validate: a typo fails at once, naming the file, the key and the placeholder."""

from __future__ import annotations

import re

import pytest

from clerkapp.errors import TemplateError
from clerkapp.orders.templates import FORMS_DIR, fill, fill_line, load_template, placeholders


def edited(tmp_path, name: str, old: str, new: str):
    text = (FORMS_DIR / f"{name}.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}-edited.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_templates_load():
    case = load_template("per-case-order", "case")
    bulk = load_template("bulk-order", "bulk")
    assert case.label == "per-case-order v2026.5" and bulk.label == "bulk-order v2026.4"
    assert set(case.relief) == {"dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction"}
    assert case.relief["dismiss_and_seal"].cites("redesignate", "") == "HS 11361.8(f); HS 11361.9"
    assert case.relief["dismiss_and_seal"].cites("resentence", "") == "HS 11361.8(b); HS 11361.9"
    assert case.relief["dismiss_and_seal"].cites("redesignate", "PC 1385; HS 11361.9").startswith("PC 1385")


def test_unknown_placeholder_names_file_key_and_placeholder(tmp_path):
    path = edited(tmp_path, "per-case-order", "{defendant.dob}", "{defendant.birthday}")
    with pytest.raises(TemplateError) as err:
        load_template(path, "case")
    message = str(err.value)
    assert message.startswith("per-case-order-edited.toml: key caption.identity_items[1]:")
    assert "unknown placeholder {defendant.birthday}" in message
    assert "{defendant.dob}" in message  # lists what is known


def test_page_placeholders_only_in_footers(tmp_path):
    path = edited(tmp_path, "bulk-order", "Exhibit A: {counts.total} {counts.convictions_noun}",
                  "Exhibit A: {page.number} {counts.convictions_noun}")
    with pytest.raises(TemplateError, match=re.escape("key caption.right_lines[2]: unknown placeholder {page.number}")):
        load_template(path, "bulk")


def test_required_placeholder_and_keys(tmp_path):
    path = edited(tmp_path, "per-case-order", 'people_line = "PEOPLE OF THE STATE OF CALIFORNIA v. {defendant.name}"',
                  'people_line = "PEOPLE OF THE STATE OF CALIFORNIA v. DEFENDANT"')
    with pytest.raises(TemplateError, match=re.escape("key caption.people_line: must contain the placeholder {defendant.name}")):
        load_template(path, "case")
    path = edited(tmp_path, "per-case-order", 'judge_title = "Judge of the Superior Court"', "")
    with pytest.raises(TemplateError, match="required key signature.judge_title is missing"):
        load_template(path, "case")
    path = edited(tmp_path, "bulk-order", "[relief.redesignate_infraction]", "[relief.redesignate_other]")
    with pytest.raises(TemplateError, match=re.escape("required section [relief.redesignate_infraction] is missing")):
        load_template(path, "bulk")


def test_bad_braces_conditions_kinds_and_toml(tmp_path):
    path = edited(tmp_path, "per-case-order", "{court.department_title}", "{court.department_title")
    with pytest.raises(TemplateError, match="key caption.department_line: stray '{'"):
        load_template(path, "case")
    path = edited(tmp_path, "per-case-order", 'when = "hs11590"', 'when = "sometimes"')
    with pytest.raises(TemplateError, match=r"orders.paragraphs\[4\].when: unknown condition 'sometimes'"):
        load_template(path, "case")
    with pytest.raises(TemplateError, match="needs a 'bulk' template"):
        load_template("per-case-order", "bulk")
    bad = tmp_path / "broken.toml"
    bad.write_text("[template\nname = 1", encoding="utf-8")
    with pytest.raises(TemplateError, match="broken.toml: not valid TOML"):
        load_template(bad, "case")
    with pytest.raises(TemplateError, match="template file not found"):
        load_template(tmp_path / "missing.toml", "case")


def test_fill_and_fill_line():
    values = {"a.b": "X", "c.d": ""}
    assert placeholders("{a.b} and {{literal}} {c.d}") == ["a.b", "c.d"]
    assert fill("{a.b} and {{literal}}", values) == "X and {literal}"
    assert fill_line("Department {c.d}", values) is None  # every placeholder empty: line left off
    assert fill_line("Fixed text", values) == "Fixed text"
    assert fill_line("{a.b} {c.d}", values) == "X "


def test_exhibit_text_may_state_only_the_total(tmp_path):
    # the exhibit is drawn while its rows are counted: only the total is known up front
    path = edited(tmp_path, "bulk-order", "{counts.total} {counts.convictions_noun}, sorted by",
                  "{counts.dismissed} dismissals, sorted by")
    with pytest.raises(TemplateError, match=re.escape("key exhibit.slip_subtitle: unknown placeholder {counts.dismissed}")):
        load_template(path, "bulk")
