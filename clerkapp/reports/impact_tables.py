"""The impact report's tables as rows of text, from `stats`' "impact" figures: shared by the
PDF and the workbook, so both print exactly the same figures."""

from __future__ import annotations

from typing import Any

from clerkapp.domain.outcomes import OUTCOME_LABELS, Outcome

DIMENSION_TITLES = {
    "outcome": "Convictions and people by outcome",
    "relief": "Convictions and people by relief granted",
    "section": "Convictions and people by code section",
    "level": "Convictions and people by level",
    "decade": "Convictions and people by decade of conviction",
    "race": "Convictions and people by race/ethnicity",
    "gender": "Convictions and people by gender",
}
RELIEF_WORDS = {
    "dismiss_and_seal": "Dismissed and sealed",
    "redesignate_misdemeanor": "Redesignated as a misdemeanor",
    "redesignate_infraction": "Redesignated as an infraction",
    "none": "No relief granted (yet)",
}
LEVEL_WORDS = {"F": "Felony", "M": "Misdemeanor", "I": "Infraction", "unknown": "Not recorded"}


def label_of(dimension: str, key: str) -> str:
    """How a figure's key reads in the report."""
    if dimension == "outcome":
        if key == "not_evaluated":
            return "Not evaluated"
        try:
            return OUTCOME_LABELS[Outcome(key)]
        except ValueError:
            return key
    if dimension == "relief":
        return RELIEF_WORDS.get(key, key)
    if dimension == "level":
        return LEVEL_WORDS.get(key, key)
    return key or "not recorded"


def dimension_rows(impact: dict[str, Any], dimension: str) -> list[list[str]]:
    figures = impact[f"by_{dimension}"]
    return [[label_of(dimension, k), f"{n:,}", f"{figures['people'][k]:,}"]
            for k, n in figures["convictions"].items()]


def scope_sentence(impact: dict[str, Any]) -> str:
    """Whose convictions the figures count, and what was left out (the DOJ file is
    statewide; the court counts its own county's)."""
    county = impact.get("county") or ""
    if not county:
        return ("Every county's convictions are counted: no county is set in the court profile"
                " (Tools ▸ Court profile & settings).")
    left = impact.get("left_out") or {}
    other, unrecorded = left.get("other_counties", 0), left.get("county_not_recorded", 0)
    text = (f"{county} County's convictions only. The DOJ's file covers the whole state:"
            f" {other:,} cannabis conviction{'' if other == 1 else 's'} of other counties")
    if unrecorded:
        text += f" and {unrecorded:,} with no county recorded"
    return text + f" {'is' if other + unrecorded == 1 else 'are'} left out."


def summary_rows(impact: dict[str, Any]) -> list[list[str]]:
    after = impact["people_after_relief"]
    ordered = impact["relief_ordered"]["ordered"]
    granted = sum(n for k, n in impact["by_relief"]["convictions"].items() if k != "none")
    left = impact.get("left_out") or {}
    left_out = [
        ["Cannabis convictions of other counties (left out)",
         f"{left.get('other_counties', 0):,}"],
        ["Cannabis convictions with no county recorded (left out)",
         f"{left.get('county_not_recorded', 0):,}"],
    ] if impact.get("county") else []
    return [
        ["Cannabis convictions in the records", f"{impact['convictions']:,}"],
        ["People with a cannabis conviction", f"{impact['people']:,}"],
        ["Convictions granted relief (approved)", f"{granted:,}"],
        ["Convictions with relief ordered", f"{sum(ordered['convictions'].values()):,}"],
        ["People with relief ordered", f"{after['with_relief_ordered']:,}"],
        ["… of them who had a felony", f"{after['had_a_felony']:,}"],
        ["… left with no felony once the relief is ordered", f"{after['no_felony_left']:,}"],
        ["… left with no conviction at all", f"{after['no_conviction_left']:,}"],
        ["Convictions reported to the DOJ",
         f"{sum(impact['relief_ordered']['reported']['convictions'].values()):,}"],
        *left_out,
    ]


def progress_rows(impact: dict[str, Any]) -> list[list[str]]:
    rows, totals = [], {"approved": 0, "ordered": 0, "reported": 0}
    for month, counts in impact["progress_by_month"].items():
        for key in totals:
            totals[key] += counts[key]
        rows.append([month, *(f"{counts[k]:,}" for k in totals),
                     *(f"{totals[k]:,}" for k in totals)])
    return rows
