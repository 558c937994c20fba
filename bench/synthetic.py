"""Seeded generator of realistic, entirely fake DOJ research files (95 fields per row).

Used by the import benchmark, by tests, and to build the demo data set in `resources/sample/`.
Each person gets a whole statewide history: arrests, court actions, cannabis counts of HS
11357-11360 written in the varied forms real records use (subsections, attempts, conspiracies,
`SEE COMMENT FOR CHARGE`), other offenses, a few super strikes and PC 290 registrations, deaths,
dismissals, multi-part sentences, partial dates of birth, several counties (Los Angeles most
common) and dates from 1960 to 2022, some after Prop 64 took effect (2016-11-09).

Names are obviously fake (`TESTPERSON,ALPHA Q`); SSN, licence and FBI fields hold values that
cannot be real (SSN area 000), so the importer's privacy handling has something to hide.

    python bench/synthetic.py --rows 200000 --out FILE.csv [--seed N] [--xlsx] [--no-header]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerkapp.ingest.doj_fields import FIELDS, INDEX  # noqa: E402

LAST_NAMES = (
    "TESTPERSON", "SAMPLESON", "FAKERTON", "DEMOWITZ", "MOCKLEY", "PLACEHOLDER", "DUMMYFIELD",
    "EXAMPLAR", "FICTIONAL", "PRETENDER", "NOTAREAL", "SYNTHETICA", "MADEUP", "TESTCASE",
)
FIRST_NAMES = (
    "ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL", "INDIA", "JULIET",
    "KILO", "LIMA", "MIKE", "NOVEMBER", "OSCAR", "PAPA", "QUEBEC", "ROMEO", "SIERRA", "TANGO",
)

# (county, weight, court ORI description, agency ORI description)
COUNTIES = (
    ("LOS ANGELES", 40, ("CASC LOS ANGELES", "CAMC COMPTON", "CASC VAN NUYS"),
     ("CAPD LOS ANGELES", "CASO LOS ANGELES")),
    ("SAN DIEGO", 9, ("CASC SAN DIEGO",), ("CAPD SAN DIEGO",)),
    ("ORANGE", 8, ("CASC ORANGE",), ("CAPD SANTA ANA",)),
    ("RIVERSIDE", 7, ("CASC RIVERSIDE",), ("CASO RIVERSIDE",)),
    ("SAN BERNARDINO", 7, ("CASC SAN BERNARDINO",), ("CASO SAN BERNARDINO",)),
    ("SACRAMENTO", 6, ("CASC SACRAMENTO",), ("CAPD SACRAMENTO",)),
    ("ALAMEDA", 5, ("CASC ALAMEDA",), ("CAPD OAKLAND",)),
    ("SAN FRANCISCO", 5, ("CASC SAN FRANCISCO",), ("CAPD SAN FRANCISCO",)),
    ("FRESNO", 4, ("CASC FRESNO",), ("CASO FRESNO",)),
    ("KERN", 3, ("CASC KERN",), ("CAPD BAKERSFIELD",)),
    ("CONTRA COSTA", 3, ("CASC CONTRA COSTA",), ("CAPD RICHMOND",)),
    ("SAN JOAQUIN", 3, ("CASC SAN JOAQUIN",), ("CAPD STOCKTON",)),
)
COUNTY_WEIGHTS = [c[1] for c in COUNTIES]

# Cannabis offenses in the forms real records write them: (text, TOC, comment text or "").
CANNABIS = (
    ("11357(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM", "M", ""),
    ("11357(B) HS-POSS MARIJUANA 28.5 GRAMS OR LESS", "M", ""),
    ("11357(B)HS-POSS MARIJ 28.5 GRAMS/LESS", "I", ""),
    ("11357(A) HS-POSS CONCENTRATED CANNABIS", "F", ""),
    ("11357 HS-POSSESS MARIJUANA", "M", ""),
    ("11357(D) HS-POSS MARIJ ON SCHOOL GROUNDS", "M", ""),
    ("11358 HS-CULTIVATE MARIJUANA", "F", ""),
    ("11358 HS-PLANT/CULTIVATE/ETC MARIJUANA/HASH", "F", ""),
    ("11359 HS-POSSESS MARIJUANA FOR SALE", "F", ""),
    ("11359HS-INTENT SELL", "F", ""),
    ("11360(A) HS-SELL/FURNISH/ETC MARIJUANA/HASH", "F", ""),
    ("11360(A)(2) HS-TRANSPORT/ETC MARIJUANA", "F", ""),
    ("11360(B) HS-GIVE/TRANSPORT/ETC 28.5 GRAMS OR LESS", "M", ""),
    ("11360 HS-TRANSPORT/SELL MARIJUANA", "F", ""),
    ("664/11359 HS-ATTEMPT POSSESS MARIJUANA FOR SALE", "F", ""),
    ("664-11357(C) HS-ATTEMPT POSS MARIJUANA", "M", ""),
    ("66411360(A) HS-ATTEMPT SELL MARIJUANA", "F", ""),
    ("182/11359 PC-CONSPIRACY: POSS MARIJ FOR SALE", "F", ""),
    ("182(A)(1) PC-CONSPIRACY: COMMIT CRIME", "F", "11360(A) HS-SELL MARIJUANA"),
    ("SEE COMMENT FOR CHARGE", "F", "11359 HS-POSSESS MARIJUANA FOR SALE"),
    ("SEE COMMENT FOR CHARGE", "M", "11357(C) HS-POSS MARIJUANA OVER 28.5 GRAMS"),
    ("", "F", "11358 HS-CULTIVATE MARIJUANA"),
    ("11357(A) HS-POSS CONCENTRATED CANNABIS", "F", "11357(C) HS-POSS MARIJUANA OVER 1 OZ"),
    ("11357.5(A) HS-SELL SYNTHETIC CANNABINOID", "M", ""),
)
OTHER = (
    ("459 PC-BURGLARY", "F"), ("484(A) PC-PETTY THEFT", "M"), ("23152(A) VC-DUI ALCOHOL/DRUGS", "M"),
    ("11350(A) HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "F"),
    ("11377(A) HS-POSSESS CONTROLLED SUBSTANCE", "M"),
    ("245(A)(1) PC-ASSAULT W/DEADLY WEAPON", "F"), ("242 PC-BATTERY", "M"),
    ("148(A)(1) PC-OBSTRUCT/ETC PUBLIC OFFICER", "M"), ("12500(A) VC-DRIVE W/O LICENSE", "M"),
    ("496(A) PC-RECEIVE/ETC KNOWN STOLEN PROPERTY", "F"),
    ("10851(A) VC-TAKE VEHICLE W/O OWNER CONSENT", "F"), ("647(F) PC-DISORDERLY CONDUCT:ALCOHOL", "M"),
    ("4060 BP-POSSESS CONTROLLED SUBSTANCE", "M"), ("496,3(A)(2) PC-RECEIVE STOLEN PROPERTY", "M"),
)
SUPER_STRIKES = (
    ("187 PC-MURDER", "F"), ("664/187(A) PC-ATTEMPTED MURDER", "F"),
    ("261(A)(2) PC-RAPE BY FORCE/FEAR/ETC", "F"), ("207(A) PC-KIDNAPPING", "F"),
    ("288(A) PC-LEWD OR LASCIV ACTS W/CHILD UNDER 14", "F"),
)
PC290_OFFENSES = (("314(1) PC-INDECENT EXPOSURE", "M"), ("647.6(A) PC-ANNOY/MOLEST CHILD", "M"),
                  ("288(A) PC-LEWD OR LASCIV ACTS W/CHILD UNDER 14", "F"))
REGISTRATIONS = ("290 PC-REGISTRATION OF SEX OFFENDER", "11590 HS-REGISTRATION OF CONTROLLED SUBS")
CONVICTED = ("CONVICTED-JAIL", "CONVICTED-PROBATION", "CONVICTED-PRISON", "CONVICTED-FINE",
             "CONVICTED")
NOT_CONVICTED = ("DISMISSED/CHARGE DROPPED", "DISMISSED-FURTHERANCE OF JUSTICE", "ACQUITTED",
                 "PROSECUTION REJECTED", "REL/TOT OTHER JURIS/AUTH")
LEVEL_WORDS = {"F": "FELONY", "M": "MISDEMEANOR", "I": "INFRACTION"}
RACES = (("W", "WHITE"), ("B", "BLACK"), ("H", "HISPANIC"), ("A", "OTHER ASIAN"), ("O", "OTHER"))

FIRST_DAY = date(1960, 1, 1)
LAST_DAY = date(2022, 12, 31)
PROP64 = date(2016, 11, 9)


@dataclass
class Tally:
    """What the generator meant to write, for tests to check the importer against."""

    rows: int = 0
    people: set[str] = field(default_factory=set)
    convictions: int = 0  # distinct (subject, CNT_ORDER) convicted counts
    cannabis_convictions: int = 0
    registrations_290: int = 0
    deaths: int = 0
    see_comment: int = 0
    partial_dobs: int = 0
    after_prop64: int = 0  # convicted counts whose arrest date is on/after 2016-11-09
    counties: dict[str, int] = field(default_factory=dict)


def _d(day: date) -> str:
    return day.strftime("%Y%m%d")


class Generator:
    """Writes people one at a time; `rows()` yields 95-field lists until `n_rows` are out."""

    def __init__(self, seed: int = 0) -> None:
        self.r = random.Random(seed)
        self.tally = Tally()
        self._pt = Tally()  # the person being written
        self._next_subject = 10_000_000 + self.r.randrange(1000) * 1000

    def rows(self, n_rows: int) -> Iterator[list[str]]:
        """Exactly `n_rows` rows; a last person who would not fit is replaced by one with
        only arrests, so every person written is whole and the tally stays exact."""
        written = 0
        while written < n_rows:
            self._pt = Tally()
            person = self._person()
            if len(person) > n_rows - written:
                self._pt = Tally()
                person = self._arrests_only(n_rows - written)
            self._pt.rows = len(person)
            self._merge(self._pt)
            written += len(person)
            yield from person

    def _merge(self, pt: Tally) -> None:
        t = self.tally
        t.rows += pt.rows
        t.people |= pt.people
        for name in ("convictions", "cannabis_convictions", "registrations_290", "deaths",
                     "see_comment", "partial_dobs", "after_prop64"):
            setattr(t, name, getattr(t, name) + getattr(pt, name))
        for county, n in pt.counties.items():
            t.counties[county] = t.counties.get(county, 0) + n

    def _arrests_only(self, n: int) -> list[list[str]]:
        person = self._person()  # a fresh subject; only its first rows' identity is kept
        self._pt = Tally(people=set(self._pt.people), partial_dobs=self._pt.partial_dobs)
        base = person[0]
        county = next(c for c in COUNTIES if c[0] == base[INDEX["STP_ORI_CNTY_NAME"]])
        out = []
        for ni in range(1, n + 1):
            text, toc, comment = self._offense(False, False)
            row = self._step_row(base, 1, 1, ni, FIRST_DAY + timedelta(days=9000),
                                 "ARREST/DETAINED/CITED", county, (text, toc), comment, agency=True)
            for col in ("DISP_DESCR", "CONV_STAT_DESCR", "SENT_LOC_DESCR", "SENT_LENGTH",
                        "SENT_TIME_CODE", "OFN", "FE_NUM_CRT_CASE"):
                row[INDEX[col]] = ""
            row[INDEX["CYC_DATE"]] = row[INDEX["STP_EVENT_DATE"]]
            out.append(row)
        return out

    # -- one person -------------------------------------------------------------------------

    def _person(self) -> list[list[str]]:
        r = self.r
        self._next_subject += r.randint(1, 37)
        subject = str(self._next_subject)
        born = date(r.randint(1925, 2000), r.randint(1, 12), r.randint(1, 28))
        dob = _d(born)
        if r.random() < 0.03:
            dob = f"{born.year}0000"
        base = [""] * 95
        base[INDEX["SUBJECT_ID"]] = subject
        base[INDEX["CII_NUMBER"]] = f"{r.randrange(10**8, 10**9)}"
        base[INDEX["REQ_CII_NUMBER"]] = base[INDEX["CII_NUMBER"]]
        name = f"{r.choice(LAST_NAMES)},{r.choice(FIRST_NAMES)}"
        if r.random() < 0.5:
            name += f" {chr(65 + r.randrange(26))}"
        base[INDEX["PRI_NAME"]] = name
        base[INDEX["GENDER"]] = r.choice("MMMF")
        base[INDEX["PRI_DOB"]] = dob
        base[INDEX["PRI_SSN"]] = f"000{r.randrange(10**6):06d}"
        base[INDEX["PRI_CDL"]] = f"X{r.randrange(10**7):07d}"
        base[INDEX["FBI_NUMBER"]] = f"000{r.randrange(10**5):05d}XX0"
        code, descr = r.choice(RACES)
        base[INDEX["RACE_CODE"]], base[INDEX["RACE_DESCR"]] = code, descr
        base[INDEX["CII_TYPE"]] = "A"
        base[INDEX["END_OF_REC"]] = "#"

        out: list[list[str]] = []
        earliest = max(FIRST_DAY, born + timedelta(days=365 * 15))
        if earliest >= LAST_DAY:
            earliest = LAST_DAY - timedelta(days=400)
        span = (LAST_DAY - earliest).days
        cycle_days = sorted(earliest + timedelta(days=r.randrange(span)) for _ in range(
            r.choice((1, 1, 1, 2, 2, 3, 4, 6))))
        county = self._county()
        offender_290 = r.random() < 0.03
        super_striker = r.random() < 0.03
        for ci, arrest in enumerate(cycle_days, start=1):
            if r.random() < 0.2:
                county = self._county()
            out.extend(self._cycle(base, ci, arrest, county, born, offender_290, super_striker))
        if r.random() < 0.02:
            out.append(self._step_row(base, len(cycle_days) + 1, 1, 1,
                                      LAST_DAY - timedelta(days=r.randrange(2000)),
                                      "DECEASED", county, ("", ""), ""))
            self._pt.deaths += 1
        self._pt.people.add(subject)
        if dob.endswith("0000"):
            self._pt.partial_dobs += 1
        return out

    def _county(self) -> tuple:
        return self.r.choices(COUNTIES, weights=COUNTY_WEIGHTS)[0]

    def _offense(self, offender_290: bool, super_striker: bool) -> tuple[str, str, str]:
        r = self.r
        x = r.random()
        if x < 0.45:
            return r.choice(CANNABIS)
        if super_striker and x < 0.52:
            return (*r.choice(SUPER_STRIKES), "")
        if offender_290 and x < 0.52:
            return (*r.choice(PC290_OFFENSES), "")
        return (*r.choice(OTHER), "")

    def _cycle(self, base, ci, arrest, county, born, offender_290, super_striker):
        r = self.r
        rows = []
        counts = [self._offense(offender_290, super_striker) for _ in range(r.choice((1, 1, 1, 2, 3)))]
        cyc_date = _d(arrest)
        if r.random() < 0.01:
            cyc_date = f"{arrest.year}0000"
        # arrest step
        for ni, (text, toc, comment) in enumerate(counts, start=1):
            row = self._step_row(base, ci, 1, ni, arrest, "ARREST/DETAINED/CITED", county,
                                 (text, toc), comment, agency=True)
            row[INDEX["CYC_DATE"]] = cyc_date
            rows.append(row)
        # court step
        court_day = min(arrest + timedelta(days=r.randrange(0, 400)), LAST_DAY)
        case_no = f"{county[0][:2]}{r.randrange(10**5, 10**6)}"
        for ni, (text, toc, comment) in enumerate(counts, start=1):
            convicted = r.random() < 0.7
            level = toc
            if convicted and toc == "F" and r.random() < 0.25:
                level = "M"  # reduced at sentencing
            disp = r.choice(CONVICTED) if convicted else r.choice(NOT_CONVICTED)
            parts = self._sentence(disp) if convicted else [("", "", "")]
            comment_out = comment
            if convicted and r.random() < 0.02:
                comment_out = (comment + " " if comment else "") + "CONV SET ASIDE & DISM PER 1203.4 PC"
            for loc, length, unit in parts:
                row = self._step_row(base, ci, 2, ni, court_day, "COURT ACTION", county,
                                     (text, toc), comment_out)
                row[INDEX["CYC_DATE"]] = cyc_date
                row[INDEX["OFN"]] = case_no if r.random() > 0.05 else "NULL"
                if r.random() < 0.1:
                    row[INDEX["FE_NUM_CRT_CASE"]] = f"{case_no}-0{ni}"
                row[INDEX["DISP_DESCR"]] = disp
                row[INDEX["CONV_STAT_DESCR"]] = LEVEL_WORDS[level] if (convicted and r.random() > 0.1) else ""
                row[INDEX["SENT_LOC_DESCR"]] = loc
                row[INDEX["SENT_LENGTH"]] = length
                row[INDEX["SENT_TIME_CODE"]] = unit
                rows.append(row)
            if convicted:
                self._pt.convictions += 1
                if not text or text.startswith("SEE COMMENT"):
                    self._pt.see_comment += 1
                if arrest >= PROP64:
                    self._pt.after_prop64 += 1
                if any(s in (text + " " + comment) for s in ("11357", "11358", "11359", "11360")) \
                        and "11357.5" not in text:
                    self._pt.cannabis_convictions += 1
                self._pt.counties[county[0]] = self._pt.counties.get(county[0], 0) + 1
        if offender_290 and ci == 1:
            reg = r.choice(REGISTRATIONS[:1] * 4 + REGISTRATIONS[1:])
            rows.append(self._step_row(base, ci, 3, 1, court_day + timedelta(days=30),
                                       "REGISTRATION", county, (reg, ""), ""))
            if reg.startswith("290"):
                self._pt.registrations_290 += 1
        return rows

    def _sentence(self, disp: str) -> list[tuple[str, str, str]]:
        r = self.r
        if r.random() < 0.01:
            return [("SEE COMMENT", "", "")]
        kind = disp.split("-", 1)[-1]
        if kind == "JAIL":
            parts = [("JAIL", str(r.choice((1, 2, 10, 30, 45, 90, 180, 365))), "D")]
        elif kind == "PRISON":
            parts = [("PRISON", str(r.choice((16, 2, 3, 4))), r.choice("MYY"))]
        elif kind == "FINE":
            parts = [("FINE", "", "")]
        elif kind == "PROBATION":
            parts = [("PROBATION", str(r.choice((1, 2, 3, 5, 36))), r.choice("YYM"))]
        else:
            parts = [("", "", "")]
        if kind in ("JAIL", "PROBATION") and r.random() < 0.35:
            parts.append(("PROBATION", str(r.choice((1, 3))), "Y") if kind == "JAIL"
                         else ("JAIL", str(r.choice((10, 30, 90))), "D"))
        return parts

    def _step_row(self, base, ci, si, ni, day, kind, county, offense, comment, agency=False):
        row = base.copy()
        row[INDEX["CYC_ORDER"]] = f"{ci:03d}"
        row[INDEX["STP_ORDER"]] = f"{si:03d}"
        row[INDEX["STP_EVENT_DATE"]] = _d(day)
        row[INDEX["STP_TYPE_DESCR"]] = kind
        ori = self.r.choice(county[3] if agency else county[2])
        row[INDEX["STP_ORI_DESCR"]] = ori
        row[INDEX["STP_ORI_CNTY_NAME"]] = county[0]
        row[INDEX["CNT_ORDER"]] = f"{ci:03d}{si:03d}{ni:03d}000"
        row[INDEX["OFFENSE_DESCR"]], row[INDEX["OFFENSE_TOC"]] = offense
        row[INDEX["COMMENT_TEXT"]] = comment
        return row


def write_csv(path: Path, n_rows: int, seed: int = 0, header: bool = True) -> Tally:
    gen = Generator(seed)
    with open(path, "w", newline="", encoding="ascii") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if header:
            writer.writerow(FIELDS)
        writer.writerows(gen.rows(n_rows))
    return gen.tally


def write_xlsx(path: Path, n_rows: int, seed: int = 0) -> Tally:
    """The same rows in an .xlsx, as a county gets after opening the file in Excel."""
    from openpyxl import Workbook

    gen = Generator(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DOJ")
    ws.append(FIELDS)
    for row in gen.rows(n_rows):
        ws.append([v or None for v in row])  # empty cells stay empty, as Excel leaves them
    wb.save(path)
    return gen.tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000, help="rows to write (default 2000)")
    parser.add_argument("--out", type=Path, required=True, help="output file")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--xlsx", action="store_true", help="write an .xlsx instead of csv")
    parser.add_argument("--no-header", action="store_true", help="csv without the header row")
    args = parser.parse_args(argv)
    if args.xlsx:
        tally = write_xlsx(args.out, args.rows, args.seed)
    else:
        tally = write_csv(args.out, args.rows, args.seed, header=not args.no_header)
    print(f"wrote {tally.rows} rows, {len(tally.people)} people, {tally.convictions} convicted"
          f" counts ({tally.cannabis_convictions} cannabis) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
