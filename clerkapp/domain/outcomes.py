"""The relief a conviction can get, and how the engine explains it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Outcome(StrEnum):
    DISMISS_AND_SEAL = "dismiss_and_seal"
    REDESIGNATE_MISDEMEANOR = "redesignate_misdemeanor"
    REDESIGNATE_INFRACTION = "redesignate_infraction"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"
    NOT_APPLICABLE = "not_applicable"

    @property
    def grants_relief(self) -> bool:
        return self in RELIEF_OUTCOMES

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


RELIEF_OUTCOMES = frozenset(
    {Outcome.DISMISS_AND_SEAL, Outcome.REDESIGNATE_MISDEMEANOR, Outcome.REDESIGNATE_INFRACTION}
)

# Redesignation lowers a conviction's level: HS 11361.8(b), (f) - a felony "redesignated as a
# misdemeanor or infraction", a misdemeanor as an infraction. The level each outcome gives,
# and the rank of each level (higher is more serious); an outcome that would not lower the
# conviction's level is not a redesignation.
LEVEL_AFTER = {Outcome.REDESIGNATE_MISDEMEANOR: "M", Outcome.REDESIGNATE_INFRACTION: "I"}
LEVEL_RANK = {"F": 3, "M": 2, "I": 1}
LEVEL_WORDS = {"F": "a felony", "M": "a misdemeanor", "I": "an infraction"}


def redesignation_lowers(outcome: str | None, level: str | None) -> bool:
    """False when `outcome` redesignates a conviction already at that level or below (a
    misdemeanor as a misdemeanor); True otherwise, and when the record gives no level."""
    after = LEVEL_AFTER.get(outcome) if outcome else None  # type: ignore[call-overload]
    if after is None or level not in LEVEL_RANK:
        return True
    return LEVEL_RANK[after] < LEVEL_RANK[level]


OUTCOME_LABELS = {
    Outcome.DISMISS_AND_SEAL: "Dismiss and seal",
    Outcome.REDESIGNATE_MISDEMEANOR: "Redesignate as misdemeanor",
    Outcome.REDESIGNATE_INFRACTION: "Redesignate as infraction",
    Outcome.NOT_ELIGIBLE: "Not eligible",
    Outcome.NEEDS_REVIEW: "Needs review",
    Outcome.NOT_APPLICABLE: "Not applicable",
}


class Remedy(StrEnum):
    RESENTENCE = "resentence"  # sentence still running: HS 11361.8(a)-(b)
    REDESIGNATE = "redesignate"  # sentence complete: HS 11361.8(e)-(f)


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class Reason:
    """One reason for a determination, in words a clerk understands, with its citation.

    `kind` is "decisive" for reasons that drove the outcome and "info" for facts shown to the
    clerk that did not (BEAR-style super-strike columns under the configurable policy).
    """

    code: str
    text: str
    citation: str = ""
    kind: str = "decisive"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)
