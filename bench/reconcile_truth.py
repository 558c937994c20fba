"""A seeded truth set for reconciliation: a DOJ research file and a court case-management
export made from the same (entirely fake) people, with the differences real files have, plus
people on one side only. The truth (which court row is which DOJ conviction) is returned, so
a benchmark or a test can score what the matcher linked.

Differences on the court side, each at a realistic rate: the name written `First Middle
Last` or `LAST, FIRST M`, a hyphenated or double surname written another way or cut to one
part, first and last transposed, an initial for the first name, accents the DOJ file lacks,
a typo, an alias (`... AKA ...`); the DOB with day and month transposed, only the year, or
missing when the CII is there; the case number with dashes, leading zeros, a court prefix or
a count suffix; a section with or without its subsection; the conviction date a few days
off; sometimes a different level (a conflict). Some court rows have no usable identity.

    python bench/reconcile_truth.py --doj-rows 20000 --out DIR [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerkapp.ingest.doj_fields import FIELDS, INDEX  # noqa: E402

SURNAMES = (
    "GARCIA", "HERNANDEZ", "LOPEZ", "MARTINEZ", "GONZALEZ", "RODRIGUEZ", "PEREZ", "SANCHEZ",
    "RAMIREZ", "TORRES", "FLORES", "RIVERA", "GOMEZ", "DIAZ", "REYES", "MORALES", "CRUZ",
    "ORTIZ", "GUTIERREZ", "CHAVEZ", "RAMOS", "RUIZ", "ALVAREZ", "MENDOZA", "CASTILLO",
    "JIMENEZ", "VASQUEZ", "MORENO", "HERRERA", "MEDINA", "AGUILAR", "VARGAS", "CASTRO",
    "GUZMAN", "FERNANDEZ", "JUAREZ", "MUNOZ", "SALAZAR", "ROMERO", "NUNEZ", "PENA", "LEON",
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER", "DAVIS", "WILSON", "ANDERSON",
    "TAYLOR", "THOMAS", "MOORE", "JACKSON", "MARTIN", "LEE", "THOMPSON", "WHITE", "HARRIS",
    "CLARK", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT",
    "GREEN", "BAKER", "ADAMS", "NELSON", "HILL", "CAMPBELL", "MITCHELL", "ROBERTS", "CARTER",
    "PHILLIPS", "EVANS", "TURNER", "PARKER", "COLLINS", "EDWARDS", "STEWART", "MORRIS",
    "MURPHY", "COOK", "ROGERS", "MORGAN", "PETERSON", "COOPER", "REED", "BAILEY", "BELL",
    "KELLY", "HOWARD", "WARD", "COX", "RICHARDSON", "WOOD", "WATSON", "BROOKS", "BENNETT",
    "GRAY", "JAMES", "HUGHES", "PRICE", "SANDERS", "MYERS", "LONG", "ROSS", "FOSTER",
    "NGUYEN", "TRAN", "PHAM", "LE", "HUYNH", "KIM", "PARK", "CHOI", "CHEN", "WANG", "LI",
    "ZHANG", "LIU", "YANG", "HUANG", "WU", "PATEL", "SINGH", "KHAN", "SHAH", "OBRIEN",
    "WASHINGTON", "BUTLER", "SIMMONS", "BRYANT", "ALEXANDER", "RUSSELL", "GRIFFIN", "HAYES",
)
GIVEN = (
    "JOSE", "JUAN", "LUIS", "CARLOS", "JESUS", "MIGUEL", "JORGE", "ANTONIO", "FRANCISCO",
    "ALEJANDRO", "MANUEL", "RICARDO", "EDUARDO", "FERNANDO", "JAVIER", "RAUL", "OSCAR",
    "MARIA", "GUADALUPE", "ROSA", "ANA", "SOFIA", "LUCIA", "ELENA", "CARMEN", "ADRIANA",
    "JAMES", "JOHN", "ROBERT", "MICHAEL", "WILLIAM", "DAVID", "RICHARD", "JOSEPH", "THOMAS",
    "CHARLES", "CHRISTOPHER", "DANIEL", "MATTHEW", "ANTHONY", "MARK", "DONALD", "STEVEN",
    "PAUL", "ANDREW", "JOSHUA", "KENNETH", "KEVIN", "BRIAN", "GEORGE", "TIMOTHY", "RONALD",
    "EDWARD", "JASON", "JEFFREY", "RYAN", "JACOB", "GARY", "NICHOLAS", "ERIC", "JONATHAN",
    "MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN", "JESSICA",
    "SARAH", "KAREN", "LISA", "NANCY", "BETTY", "MARGARET", "SANDRA", "ASHLEY", "KIMBERLY",
    "EMILY", "DONNA", "MICHELLE", "TAMIKA", "DESHAWN", "TYRONE", "JAMAL", "LATOYA", "KEISHA",
    "MINH", "TUAN", "HUNG", "THANH", "JIN", "WEI", "MIN", "RAJ", "ARJUN", "PRIYA",
)
ACCENTED = {"JOSE": "José", "MARIA": "María", "RAUL": "Raúl", "JESUS": "Jesús",
            "NUNEZ": "Núñez", "MUNOZ": "Muñoz", "PENA": "Peña", "RAMIREZ": "Ramírez",
            "GONZALEZ": "González", "HERNANDEZ": "Hernández", "LOPEZ": "López",
            "MARTINEZ": "Martínez", "RODRIGUEZ": "Rodríguez", "PEREZ": "Pérez",
            "SANCHEZ": "Sánchez", "JIMENEZ": "Jiménez", "VASQUEZ": "Vásquez",
            "ANGEL": "Ángel", "LUCIA": "Lucía", "SOFIA": "Sofía", "OBRIEN": "O'Brien"}
NICKNAMES = {"JOSE": "PEPE", "FRANCISCO": "PANCHO", "ROBERT": "BOBBY", "WILLIAM": "BILLY",
             "RICHARD": "RICKY", "MICHAEL": "MIKEY", "ANTHONY": "TONY", "JAMES": "JIMMY"}
# (DOJ offense text, level, court charge as a court's system writes it)
OFFENSES = (
    ("11357(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM", "M", "HS 11357(c)"),
    ("11357(B) HS-POSS MARIJUANA 28.5 GRAMS OR LESS", "M", "HS11357(B)"),
    ("11357 HS-POSSESS MARIJUANA", "M", "11357 HS"),
    ("11358 HS-CULTIVATE MARIJUANA", "F", "HS 11358"),
    ("11359 HS-POSSESS MARIJUANA FOR SALE", "F", "11359 H&S"),
    ("11360(A) HS-SELL/FURNISH/ETC MARIJUANA/HASH", "F", "HS 11360(a)"),
    ("11360 HS-TRANSPORT/SELL MARIJUANA", "F", "HS 11360(a)"),
    ("11360(B) HS-GIVE/TRANSPORT/ETC 28.5 GRAMS OR LESS", "M", "HS 11360(b)"),
)
OTHER = (("459 PC-BURGLARY", "F"), ("23152(A) VC-DUI ALCOHOL/DRUGS", "M"),
         ("11350(A) HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "F"))
COURT_HEADERS = ("Case Number", "Defendant", "DOB", "CII", "SSN", "Charge", "Level",
                 "Disposition", "Conviction Date", "County")
FIRST_DAY, LAST_DAY = date(1985, 1, 1), date(2016, 10, 1)


@dataclass
class Truth:
    """What the files hold: which court row is which DOJ conviction."""

    pairs: set[tuple[str, str]] = field(default_factory=set)  # (DOJ key, court key) the same
    conflicts: set[tuple[str, str]] = field(default_factory=set)  # pairs made to differ
    doj_convictions: int = 0
    court_rows: int = 0
    doj_rows: int = 0
    unusable: int = 0  # court rows without a usable identity

    # a conviction's key on each side: DOJ (CII, case number as DOJ wrote it, CNT_ORDER),
    # court (file row number); the benchmark maps store records back to these


@dataclass
class _Person:
    surnames: list[str]
    given: str
    middle: str
    dob: date
    cii: str
    ssn: str
    cdl: str
    nickname: str = ""


class TruthGenerator:
    def __init__(self, seed: int = 0) -> None:
        self.r = random.Random(seed)
        self.truth = Truth()
        self._cii = 100_000_000 + self.r.randrange(10**6)
        self._subject = 20_000_000
        self._case = 100_000
        self.county = "LOS ANGELES"

    def _person(self) -> _Person:
        r = self.r
        surnames = [r.choice(SURNAMES)]
        if r.random() < 0.12:
            surnames.append(r.choice(SURNAMES))
        self._cii += r.randint(1, 50)
        dob = date(r.randint(1940, 1998), r.randint(1, 12), r.randint(1, 28))
        given = r.choice(GIVEN)
        return _Person(surnames, given, r.choice(GIVEN) if r.random() < 0.4 else "", dob,
                       str(self._cii), f"9{r.randrange(10**8):08d}",
                       f"D{r.randrange(10**7):07d}", NICKNAMES.get(given, ""))

    # --- names as each side writes them ---------------------------------------------------

    def doj_name(self, p: _Person) -> str:
        middle = f" {p.middle[0]}" if p.middle and self.r.random() < 0.7 else (
            f" {p.middle}" if p.middle else "")
        return f"{'-'.join(p.surnames)},{p.given}{middle}"

    def court_name(self, p: _Person) -> str:
        r = self.r
        surnames = list(p.surnames)
        given, middle = p.given, p.middle
        x = r.random()
        if len(surnames) > 1 and r.random() < 0.5:
            surnames = [" ".join(surnames)] if r.random() < 0.5 else surnames[:1]
        sur = "-".join(surnames)
        if r.random() < 0.15:  # the court's system keeps accents
            sur = "-".join(ACCENTED.get(s, s.title()) for s in sur.split("-"))
            given = ACCENTED.get(given, given.title())
        if x < 0.04:  # a typo: two letters swapped or one changed
            target = sur if r.random() < 0.5 and len(sur) > 4 else given
            i = r.randrange(1, len(target) - 1)
            if r.random() < 0.5:
                typo = target[:i] + target[i + 1] + target[i] + target[i + 2:]
            else:
                typo = target[:i] + r.choice("AEIOURNST") + target[i + 1:]
            sur, given = (typo, given) if target is sur else (sur, typo)
        elif x < 0.07:  # an initial for the first name
            given = given[0]
        middle_part = f" {middle}" if middle and r.random() < 0.5 else ""
        y = r.random()
        if y < 0.45:
            name = f"{sur}, {given}{middle_part}".upper()
        elif y < 0.97:
            name = f"{given}{middle_part} {sur}"
            name = name.title() if name.isupper() else name
        else:  # first and last transposed
            name = f"{given}, {sur}"
        if p.nickname and r.random() < 0.05:
            name = f"{p.nickname} {sur} AKA {name}"
        return name

    def court_dob(self, p: _Person) -> str:
        r = self.r
        x = r.random()
        d = p.dob
        if x < 0.02 and d.day <= 12 and d.day != d.month:
            return f"{d.day:02d}/{d.month:02d}/{d.year}"  # day and month transposed
        if x < 0.035:
            return str(d.year)
        return f"{d.month:02d}/{d.day:02d}/{d.year}"

    def court_case(self, number: str) -> str:
        r = self.r
        x = r.random()
        if x < 0.25:
            return f"{number[:2]}-0{number[2:]}"
        if x < 0.40:
            return f"{number}-0{r.randint(1, 3)}"
        if x < 0.45:
            return f"LA {number}"
        return number

    # --- rows --------------------------------------------------------------------------------

    def doj_rows(self, p: _Person, subject: str, convictions: list[tuple]) -> list[list[str]]:
        base = [""] * len(FIELDS)
        base[INDEX["SUBJECT_ID"]] = subject
        base[INDEX["CII_NUMBER"]] = p.cii
        base[INDEX["PRI_NAME"]] = self.doj_name(p)
        base[INDEX["PRI_DOB"]] = p.dob.strftime("%Y%m%d")
        base[INDEX["PRI_SSN"]] = p.ssn
        base[INDEX["PRI_CDL"]] = p.cdl
        base[INDEX["GENDER"]] = "M"
        base[INDEX["END_OF_REC"]] = "#"
        rows = []
        for ci, (offense, level, _court, number, day, _k) in enumerate(convictions, start=1):
            arrest = day - timedelta(days=self.r.randint(10, 200))
            for step, kind, when in ((1, "ARREST/DETAINED/CITED", arrest),
                                     (2, "COURT ACTION", day)):
                row = base.copy()
                row[INDEX["CYC_ORDER"]] = f"{ci:03d}"
                row[INDEX["CYC_DATE"]] = arrest.strftime("%Y%m%d")
                row[INDEX["STP_ORDER"]] = f"{step:03d}"
                row[INDEX["STP_EVENT_DATE"]] = when.strftime("%Y%m%d")
                row[INDEX["STP_TYPE_DESCR"]] = kind
                row[INDEX["STP_ORI_DESCR"]] = "CASC LOS ANGELES" if step == 2 else "CAPD LOS ANGELES"
                row[INDEX["STP_ORI_CNTY_NAME"]] = self.county
                row[INDEX["CNT_ORDER"]] = f"{ci:03d}{step:03d}001000"
                row[INDEX["OFFENSE_DESCR"]] = offense
                row[INDEX["OFFENSE_TOC"]] = level
                if step == 2:
                    row[INDEX["OFN"]] = number
                    row[INDEX["DISP_DESCR"]] = "CONVICTED-PROBATION"
                    row[INDEX["CONV_STAT_DESCR"]] = {"F": "FELONY", "M": "MISDEMEANOR"}[level]
                rows.append(row)
        return rows

    def people(self, doj_rows: int, court_rows: int, *, doj_only: float = 0.08,
               court_only: float = 0.06):
        """Yield (DOJ rows, court rows) person by person until both targets are met."""
        r = self.r
        t = self.truth
        recent: list[_Person] = []
        while t.doj_rows < doj_rows or t.court_rows < court_rows:
            p = self._person()
            x = r.random()
            side = "doj" if x < doj_only else ("court" if x < doj_only + court_only else "both")
            if side != "both" and recent and r.random() < 0.5:
                # someone a matcher could take for another: a relative (the same surname, a
                # sibling's first name, born a few years apart) or a namesake born elsewhen
                other = r.choice(recent)
                p.surnames = list(other.surnames)
                if r.random() < 0.5:
                    p.given, p.middle = other.given, other.middle
                p.dob = other.dob.replace(year=other.dob.year + r.choice((-3, -2, -1, 1, 2)))
            recent = (recent + [p])[-50:]
            if side != "court" and t.doj_rows >= doj_rows:
                side = "court"
            if side != "doj" and t.court_rows >= court_rows:
                side = "doj"
            convictions = []
            for _ in range(r.choice((1, 1, 1, 2, 2, 3))):
                offense, level, court_charge = r.choice(OFFENSES)
                self._case += r.randint(1, 9)
                number = f"BA{self._case:06d}"
                day = FIRST_DAY + timedelta(days=r.randrange((LAST_DAY - FIRST_DAY).days))
                convictions.append((offense, level, court_charge, number, day, ""))
            self._subject += 1
            doj = self.doj_rows(p, str(self._subject), convictions) if side != "court" else []
            if side != "court" and r.random() < 0.1:  # a conviction that is not cannabis
                offense, level = r.choice(OTHER)
                self._case += 1
                extra = (offense, level, "", f"BA{self._case:06d}",
                         FIRST_DAY + timedelta(days=r.randrange(9000)), "")
                more = self.doj_rows(p, str(self._subject), [*convictions, extra])
                doj = more
            court = []
            if side != "doj":
                court = self._court_rows(p, convictions, side == "both")
            if side != "court":
                t.doj_convictions += len(convictions)
                t.doj_rows += len(doj)
            yield doj, court

    def _court_rows(self, p: _Person, convictions: list[tuple], shared: bool) -> list[list[str]]:
        r = self.r
        t = self.truth
        name = self.court_name(p)
        dob = self.court_dob(p)
        cii = p.cii if r.random() < 0.55 else ""
        if cii and r.random() < 0.04:
            dob = ""  # the CII alone identifies this one
        ssn = p.ssn if r.random() < 0.1 else ""
        unusable = r.random() < 0.004
        if unusable:
            name, cii, dob = (("", cii, dob) if r.random() < 0.5 else (name, "", ""))
            ssn = ""
        rows = []
        for offense, level, charge, number, day, _k in convictions:
            court_day = day + timedelta(days=r.randint(-20, 20)) if r.random() < 0.1 else day
            court_level = level
            differ = shared and r.random() < 0.01
            if differ:
                court_level = "M" if level == "F" else "F"
            t.court_rows += 1
            row_number = t.court_rows + 1  # the header is row 1
            rows.append([self.court_case(number), name, dob, cii, ssn, charge,
                         {"F": "Felony", "M": "Misdemeanor"}[court_level], "Convicted - plea",
                         court_day.strftime("%m/%d/%Y"), "Los Angeles"])
            if shared and not unusable:
                key = (p.cii, number, offense)
                t.pairs.add((key, row_number))
                if differ:
                    t.conflicts.add((key, row_number))
            if unusable:
                t.unusable += 1
        return rows


def write_truth(out_dir: Path, doj_rows: int, court_rows: int, seed: int = 0
                ) -> tuple[Path, Path, Truth]:
    """Write `doj.csv` (95 fields, with header) and `court.csv`; returns their paths and the
    truth."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = TruthGenerator(seed)
    doj_path, court_path = out_dir / "doj.csv", out_dir / "court.csv"
    with doj_path.open("w", newline="") as dh, court_path.open("w", newline="",
                                                                encoding="utf-8") as kh:
        dw, kw = csv.writer(dh), csv.writer(kh)
        dw.writerow(FIELDS)
        kw.writerow(COURT_HEADERS)
        for doj, court in gen.people(doj_rows, court_rows):
            dw.writerows(doj)
            kw.writerows(court)
    return doj_path, court_path, gen.truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--doj-rows", type=int, default=20000)
    parser.add_argument("--court-rows", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    _, _, truth = write_truth(args.out, args.doj_rows, args.court_rows or args.doj_rows // 2,
                              args.seed)
    print(f"{truth.doj_rows} DOJ rows, {truth.court_rows} court rows, {len(truth.pairs)} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


@dataclass
class Score:
    """How the links a store holds compare with the truth."""

    true_pairs: int
    linked: int  # pairs the matcher linked by itself (matched + conflict)
    linked_right: int
    matched: int
    matched_right: int
    possible: int
    possible_right: int
    missed_listed: int  # true pairs not linked: each half listed court_only / doj_only
    missed_unlisted: int  # true pairs whose convictions are in no row at all (must be 0)

    @property
    def precision(self) -> float:
        return self.linked_right / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.linked_right / self.true_pairs if self.true_pairs else 1.0

    @property
    def matched_precision(self) -> float:
        return self.matched_right / self.matched if self.matched else 1.0

    def lines(self) -> list[str]:
        return [
            f"true pairs {self.true_pairs}; linked {self.linked} (matched {self.matched}, "
            f"conflict {self.linked - self.matched}); possible_match {self.possible} "
            f"({self.possible_right} right)",
            f"precision {100 * self.precision:.2f}% (matched alone "
            f"{100 * self.matched_precision:.2f}%), recall {100 * self.recall:.2f}%",
            f"true pairs not linked: {self.true_pairs - self.linked_right} "
            f"({self.possible_right} offered as possible_match, the rest listed court_only/"
            f"doj_only: {self.missed_listed}; in no row: {self.missed_unlisted})",
        ]


def score_links(conn, truth: Truth) -> Score:
    """Compare `reconcile_links` in an open store connection with the truth."""
    doj_key = {}
    for cid, cii, case, offense in conn.execute(
            "SELECT c.id, p.cii, c.case_number, c.raw_offense FROM convictions c"
            " JOIN people p ON p.id = c.person_id JOIN imports i ON i.id = c.import_id"
            " WHERE i.preset = 'doj'"):
        doj_key[cid] = (cii, case, offense)
    court_key = {}
    for cid, row in conn.execute(
            "SELECT c.id, s.row_number FROM convictions c JOIN imports i ON i.id = c.import_id"
            " JOIN source_rows s ON s.id = CAST(json_extract(c.source_row_ids, '$[0]') AS INTEGER)"
            " WHERE i.preset = 'generic'"):
        court_key[cid] = row
    linked = linked_right = matched = matched_right = possible = possible_right = 0
    listed: set = set()
    found_pairs: set = set()
    for doj_id, court_id, status in conn.execute(
            "SELECT doj_id, court_id, status FROM reconcile_links"):
        if doj_id:
            listed.add(("d", doj_key.get(doj_id)))
        if court_id:
            listed.add(("k", court_key.get(court_id)))
        if not (doj_id and court_id):
            continue
        pair = (doj_key.get(doj_id), court_key.get(court_id))
        right = pair in truth.pairs
        if status in ("matched", "conflict"):
            linked += 1
            linked_right += right
            if right:
                found_pairs.add(pair)
            if status == "matched":
                matched += 1
                matched_right += right
        elif status == "possible_match":
            possible += 1
            possible_right += right
    missed = [p for p in truth.pairs if p not in found_pairs]
    unlisted = sum(1 for d, k in missed if ("d", d) not in listed or ("k", k) not in listed)
    return Score(len(truth.pairs), linked, linked_right, matched, matched_right, possible,
                 possible_right, len(missed) - unlisted, unlisted)
