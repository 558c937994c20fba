"""Look up a person at the counter: each cannabis conviction and where it stands (not eligible,
in review, approved, ordered with the order's date and number, reported to DOJ). The name may
be typed 'LAST, FIRST' or 'First Last', with or without accents. A name alone that fits several
people lists them without their records: add --dob or --case. Every look-up is audited.
With --certificate OUT.pdf, prints the person's confirmation of relief."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clerkapp.cli.notices_cmd import person_reference


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", required=True, help="the person's name")
    parser.add_argument("--dob", metavar="MM/DD/YYYY", help="date of birth: 04/07/1985, 4/7/1985"
                        " or 1985-04-07 (month first)")
    parser.add_argument("--case", metavar="N", help="a case number of theirs")
    parser.add_argument("--certificate", type=Path, metavar="OUT.pdf",
                        help="print the confirmation of relief for the person found")
    parser.add_argument("--person", type=person_reference, metavar="REF",
                        help="with --certificate: which of the people found (a name, date of"
                        " birth and case number that fit two records: one person on two lists)")
    parser.add_argument("--by", default=None, help="who is looking, and the clerk named on the"
                        " confirmation (default: the clerk name in settings)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.domain.names import first_name_first
    from clerkapp.errors import BadInput
    from clerkapp.relief.lookup import look_up, standing_text
    from clerkapp.relief.notices import person_reference as reference
    from clerkapp.store import Store

    with Store(args.db) as store:
        result = look_up(store, args.name, dob=args.dob, case_number=args.case, clerk=args.by)
        print(result.message)
        for c in result.candidates:
            print(f"  {reference(c.person_id)}  {c.name}  born {c.birth_year or '?'}")
        for found in result.people:
            card = found.card
            print(f"{reference(card.person_id)}  {first_name_first(card.name)}"
                  f"  DOB {card.dob or 'unknown'}")
            if not found.standings:
                print("  no cannabis conviction in the records")
            for s in found.standings:
                print(f"  {s.case_number or '(no case number)'}  {s.code_section}"
                      f"  {s.conviction_date or '?'}  {s.level or '?'}  {standing_text(s)}")
        if args.certificate is not None:
            people = [p.card.person_id for p in result.people]
            if args.person is not None:
                if args.person not in people:
                    raise BadInput(f"{reference(args.person)} is not among the people found")
                people = [args.person]
            if len(people) > 1:  # name, date of birth and case number all given
                raise BadInput(f"a confirmation of relief is printed for one person, and"
                               f" {len(people)} records fit the name, date of birth and case"
                               f" number: choose one with --person ({', '.join(map(reference, people))})")
            if not people:
                raise BadInput("a confirmation of relief is printed for one person: narrow the"
                               " look-up with --dob or --case")
            from clerkapp.relief.certificate import NO_CLERK_NAME, print_certificate

            cert = print_certificate(store, people[0], args.certificate,
                                     clerk=args.by)
            if cert.issued_by is None:
                print(f"clerkapp: {NO_CLERK_NAME}, or give --by NAME", file=sys.stderr)
            if cert.unsigned:
                print(f"clerkapp: {cert.unsigned_note}", file=sys.stderr)
            print(cert.path)
            for code in cert.codes.values():
                print(f"verification code {code}")
    return 0
