"""The DOJ record builder's own promises: every field of a built record lands where it belongs
(the builder constructs records positionally, for speed), later court steps fold per arrest
cycle with their events in the record's order, and a count's repeated rows count once."""

from __future__ import annotations

from tests.ingest.test_doj import conviction_row, doj_row, parse, write


def test_every_field_of_a_conviction_person_and_event_lands_in_its_place(tmp_path):
    data = [
        conviction_row(SUBJECT_ID="77", CII_NUMBER="A123", PRI_NAME="TESTPERSON,BETA",
                       PRI_DOB="19800102", GENDER="F", RACE_DESCR="OTHER",
                       CYC_ORDER="003", CYC_DATE="20100301", STP_EVENT_DATE="20100415",
                       CNT_ORDER="003002001000", STP_ORI_CNTY_NAME=" KERN ",
                       STP_ORI_DESCR="CASC BAKERSFIELD", OFN="BA1", FE_NUM_CRT_CASE="CC2",
                       OFFENSE_DESCR="11359 HS-POSS FOR SALE", COMMENT_TEXT="SET ASIDE 1203.4",
                       CONV_STAT_DESCR="MISDEMEANOR", DISP_DESCR="CONVICTED-PROBATION",
                       SENT_LOC_DESCR="PROBATION", SENT_LENGTH="2", SENT_TIME_CODE="Y"),
        doj_row(SUBJECT_ID="77", CYC_ORDER="004", STP_TYPE_DESCR="REGISTRATION",
                STP_EVENT_DATE="20120505", OFFENSE_DESCR="290 PC-REGISTRATION",
                STP_ORI_CNTY_NAME="KERN"),
    ]
    _, people, convictions, events, errors = parse(write(tmp_path / "d.csv", data))
    assert errors == []
    (person,) = people
    assert (person.key, person.name, person.dob, person.cii, person.gender, person.race,
            person.aliases, person.address) == (
        "doj:77", "TESTPERSON,BETA", "1980-01-02", "A123", "F", "OTHER", [], None)
    (c,) = convictions
    assert (c.person_key, c.source_rows, c.count_key, c.cycle_key, c.case_numbers) == (
        "doj:77", [2], "003002001000", "003", ["BA1", "CC2"])
    assert (c.county, c.court, c.raw_offense, c.comment_text) == (
        "KERN", "CASC BAKERSFIELD", "11359 HS-POSS FOR SALE", "SET ASIDE 1203.4")
    assert (c.section.code, c.section.number, c.section.subs) == ("HS", "11359", ())
    assert (c.level, c.disposition, c.conviction_date, c.offense_date, c.offense_date_source) == (
        "M", "CONVICTED-PROBATION", "2010-04-15", "2010-03-01", "arrest date")
    assert (c.sentence_text, c.sentence_days, c.sentence_end) == ("PROBATION 2 Y", 731, "2012-04-15")  # 2012 is a leap year
    assert (c.prosecutor_outcome, c.prosecutor_reason, c.flags) == (None, None, ["set_aside_1203_4"])
    (e,) = events
    assert (e.person_key, e.kind, e.source_row, e.event_date, e.text, e.cycle_key, e.county) == (
        "doj:77", "registration", 3, "2012-05-05", "290 PC-REGISTRATION", "004", "KERN")
    assert e.section is not None and e.section.number == "290"


def test_later_steps_fold_within_each_cycle_and_their_events_follow_the_cycles(tmp_path):
    # Cycle 002's rows come first in the file; each cycle has a count relisted at a later step.
    def count(cycle: str, step: str, date: str) -> list[str]:
        return conviction_row(CYC_ORDER=cycle, CNT_ORDER=f"{cycle}{step}001000",
                              STP_EVENT_DATE=date, DISP_DESCR="CONVICTED-JAIL")
    data = [count("002", "002", "20050101"), count("002", "003", "20060101"),
            count("001", "002", "20010101"), count("001", "003", "20020101")]
    _, _, convictions, events, errors = parse(write(tmp_path / "d.csv", data))
    assert errors == []
    assert [(c.cycle_key, c.source_rows) for c in convictions] == [("002", [2, 3]), ("001", [4, 5])]
    assert [(e.kind, e.cycle_key, e.source_row) for e in events] == [
        ("court_step", "001", 5), ("court_step", "002", 3)]


def test_a_sentence_part_repeated_on_a_counts_rows_counts_once(tmp_path):
    part = dict(CNT_ORDER="001002001000", SENT_ORDER="001", SENT_LOC_DESCR="JAIL",
                SENT_LENGTH="30", SENT_TIME_CODE="D")
    data = [conviction_row(**part, OFN="BA1"), conviction_row(**part, OFN="BA2"),
            conviction_row(**{**part, "SENT_ORDER": "002", "SENT_LOC_DESCR": "PROBATION",
                              "SENT_LENGTH": "1", "SENT_TIME_CODE": "y"}, OFN="BA1")]
    _, _, (c,), _, errors = parse(write(tmp_path / "d.csv", data))
    assert errors == []
    assert c.source_rows == [2, 3, 4] and c.case_numbers == ["BA1", "BA2"]
    assert (c.sentence_text, c.sentence_end) == ("JAIL 30 D; PROBATION 1 Y", "2000-05-15")
