"""Notices: who gets one, no duplicates unless asked, both languages, the template check."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.errors import BadInput, TemplateError
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.paths import FORMS_DIR
from clerkapp.relief.notices import print_notices
from clerkapp.relief.templates import load_notice_templates
from tests.orders.conftest import sign_all


def text_of(path) -> str:
    """The PDF's text with line breaks as spaces (a sentence wraps where the page ends it)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def noticed(store) -> dict[tuple[int, str], list[int]]:
    out: dict[tuple[int, str], list[int]] = {}
    for pid, lang, cid in store.conn.execute(
            "SELECT n.person_id, n.language, ni.conviction_id FROM notices n"
            " JOIN notice_items ni ON ni.notice_id = n.id ORDER BY 1, 2, 3"):
        out.setdefault((pid, lang), []).append(cid)
    return out


def test_one_letter_per_person_for_the_ordered_convictions(relief_store, tmp_path):
    book = relief_store.book
    summary = print_notices(relief_store, tmp_path / "n", operator="Clerk Notice")
    people = book.people
    # ALPHA (two counts, one letter), BRAVO, GOLF; not CHARLIE (denied), DELTA (pending),
    # ECHO (approved not eligible)
    assert summary.people == 3 and summary.notices == 3 and len(summary.files) == 3
    assert noticed(relief_store) == {
        (people["ALPHA,ANNA MARIE"], "en"): sorted(book.by_case["CASE-A1"]),
        (people["BRAVO,BEN"], "en"): book.by_case["CASE-B2"],
        (people["GOLF,GINA"], "en"): book.by_case["CASE-G7"],
    }
    assert summary.mailed == 1 and summary.counter == 2
    names = sorted(p.name for p in summary.files)
    assert names == [f"notice_P{people['ALPHA,ANNA MARIE']:06d}_CASE-A1_en.pdf",
                     f"notice_P{people['BRAVO,BEN']:06d}_CASE-B2_en.pdf",
                     f"notice_P{people['GOLF,GINA']:06d}_CASE-G7_en.pdf"]
    alpha = text_of(tmp_path / "n" / names[0])
    assert "ANNA MARIE ALPHA" in alpha and "12 OAK STREET" in alpha and "OAKLAND, CA 94607" in alpha
    assert "Dismissed and sealed" in alpha and "treated as if it never happened" in alpha
    assert "CASE-A1" in alpha and "HS 11360(a) (felony)" in alpha
    assert "Alameda County Public Defender" in alpha and "(510) 272-6600" in alpha
    assert "Now a misdemeanor" not in alpha  # only what applies to this person
    golf = text_of(tmp_path / "n" / names[2])
    assert "FOR PICK-UP AT THE CLERK'S COUNTER" in golf
    assert "Now an infraction" in golf and "Sentence recalled" in golf
    bravo = text_of(tmp_path / "n" / names[1])
    assert "misdemeanor for all purposes" in bravo
    entries = relief_store.conn.execute(
        "SELECT actor, entity, entity_id, details FROM audit_log WHERE action = 'notice.printed'"
    ).fetchall()
    assert len(entries) == 3
    assert {e["actor"] for e in entries} == {relief_store.actor("Clerk Notice")}
    for entry in entries:  # the person's id, never the name
        assert entry["entity"] == "person" and "ALPHA" not in entry["details"]
        assert json.loads(entry["details"])["language"] == "en"


def test_no_duplicates_unless_asked(relief_store, tmp_path):
    print_notices(relief_store, tmp_path / "a")
    with pytest.raises(BadInput, match="already has this notice"):
        print_notices(relief_store, tmp_path / "b")
    assert not (tmp_path / "b").exists()
    # Spanish was never sent: it is
    assert print_notices(relief_store, tmp_path / "c", lang="es").people == 3
    # a newly ordered conviction is reported alone
    book = relief_store.book
    cid = book.conviction("CASE-H8", "ALPHA,ANNA MARIE", section="HS 11359", level="F")
    book.decide("CASE-H8", "approved")
    from clerkapp.orders.service import print_orders

    print_orders(relief_store, tmp_path / "orders2", conviction_ids=[cid])
    with pytest.raises(BadInput, match="1 ordered conviction.s. left out: Order No. .* not"
                                       " recorded as signed"):
        print_notices(relief_store, tmp_path / "d")  # its order awaits the judge's signature
    sign_all(relief_store)
    later = print_notices(relief_store, tmp_path / "d")
    assert later.people == 1 and later.notices == 1
    assert noticed(relief_store)[(book.people["ALPHA,ANNA MARIE"], "en")] == sorted(
        [*book.by_case["CASE-A1"], cid])
    items = relief_store.conn.execute(
        "SELECT conviction_id FROM notice_items WHERE notice_id = (SELECT max(id) FROM notices)"
    ).fetchall()
    assert [r[0] for r in items] == [cid]
    again = print_notices(relief_store, tmp_path / "e", again=True)
    assert again.people == 3
    assert relief_store.conn.execute(
        "SELECT count(*) FROM notices WHERE again = 1").fetchone()[0] == 3


def test_both_languages_in_one_file_per_person(relief_store, tmp_path):
    summary = print_notices(relief_store, tmp_path / "n", lang="both",
                            person_ids=[relief_store.book.people["BRAVO,BEN"]])
    assert summary.notices == 2 and len(summary.files) == 1
    assert summary.files[0].name.endswith("_CASE-B2_en-es.pdf")
    text = text_of(summary.files[0])
    assert text.index("Your cannabis conviction record has been changed") < text.index(
        "Se modificaron sus antecedentes penales por cannabis")
    assert "Cambiada a delito menor" in text and "delito menor (misdemeanor) para todos" in text
    assert "Ayuda legal gratuita" in text and "Página 1 de" in text
    assert "6 de mayo de 1980" not in text  # the DOB is nobody's business on a letter


def test_combined_file_for_mailing(relief_store, tmp_path):
    summary = print_notices(relief_store, tmp_path / "n", combined=True, since="2000-01-01")
    assert len(summary.files) == 1 and summary.people == 3
    reader = PdfReader(summary.files[0])
    assert len(reader.pages) >= 3
    assert tuple(relief_store.conn.execute(
        "SELECT count(DISTINCT path), min(combined) FROM notices").fetchone()) == (1, 1)


def test_since_after_every_order_finds_nothing(relief_store, tmp_path):
    with pytest.raises(BadInput, match="since 2999-01-01"):
        print_notices(relief_store, tmp_path / "n", since="2999-01-01")


def test_a_person_with_no_relief_ordered_is_refused_in_one_line(relief_store, tmp_path, capsys):
    delta = relief_store.book.people["DELTA,DANA"]
    code = main(["--db", str(relief_store.path), "notices", str(tmp_path / "n"),
                 "--person", str(delta)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err == f"clerkapp: person P{delta:06d} has no relief ordered: there is no notice to print"
    assert not (tmp_path / "n").exists()


def test_cli_prints_files_and_counts(relief_store, tmp_path, capsys):
    assert main(["--db", str(relief_store.path), "notices", str(tmp_path / "n"),
                 "--lang", "es", "--by", "Clerk Cli"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "3 notice(s) for 3 person(s) in 3 file(s): 1 addressed, 2 for the counter"
    assert all(line.endswith("_es.pdf") for line in lines[:-1])


def test_spanish_template_missing_a_placeholder_is_refused_naming_both(tmp_path):
    broken = tmp_path / "notice-es.toml"
    text = (FORMS_DIR / "notice-es.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace("Teléfono: {defender.phone}", "Teléfono:"), encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_notice_templates(("en", "es"), {"es": broken})
    message = str(info.value)
    assert "notice-es.toml lacks placeholder(s) {defender.phone} that notice-en.toml uses" in message


def test_shipped_templates_agree():
    loaded = load_notice_templates(("en", "es"))
    assert loaded["en"].used_placeholders() <= loaded["es"].used_placeholders()
    assert loaded["es"].language == "es"


def test_a_cancel_midway_leaves_no_file_and_no_record(relief_store, tmp_path):
    token = CancelToken()

    def progress(done, total, message):
        if done == 1:  # the first person's file is written: stop there
            token.cancel()

    with pytest.raises(Cancelled):
        print_notices(relief_store, tmp_path / "n", progress=progress, cancel=token)
    assert list((tmp_path / "n").iterdir()) == []
    assert relief_store.conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 0


@pytest.mark.parametrize("lang", ["en", "es"])
def test_what_it_means_cites_the_section_that_says_it(lang):
    """Each legal effect the letter tells the person names the statute saying it: dismissal and
    sealing 11361.8(f), "never happened" 11361.9, "for all purposes" 11361.8(h), recall
    11361.8(b); and every language says the same in as many paragraphs."""
    english = {p.when: p.text for p in load_notice_templates(("en",))["en"].paragraphs("meaning")}
    meaning = {p.when: p.text for p in load_notice_templates((lang,))[lang].paragraphs("meaning")}
    assert meaning.keys() == english.keys() == {"dismissed", "misdemeanor", "infraction",
                                                "resentenced", "always"}
    assert "11361.8(f)" in meaning["dismissed"] and "11361.9" in meaning["dismissed"]
    assert "11361.8(h)" in meaning["misdemeanor"] and "11361.8(h)" in meaning["infraction"]
    assert "11361.8(b)" in meaning["resentenced"]
