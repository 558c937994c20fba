"""The 95 columns of the DOJ research file, in order, and the values that carry meaning.

Kept apart from the parser so the synthetic-data generator and the tests share one list.
Source: the HS 11361.9 research-file layout (see docs/doj-import.md).
"""

from __future__ import annotations

FIELDS: tuple[str, ...] = (
    "RECORD_ID", "SUBJECT_STATUS", "SUBJECT_ID", "REQ_SEG_SEP", "REQ_CII_NUMBER", "REQ_NAME",
    "REQ_GENDER", "REQ_DOB", "REQ_CDL", "REQ_SSN",
    "PII_SEG_SEP", "CII_NUMBER", "PRI_NAME", "GENDER", "PRI_DOB", "PRI_SSN", "PRI_CDL", "PRI_IDN",
    "PRI_INN", "FBI_NUMBER",
    "PDR_SEG_SEP", "RACE_CODE", "RACE_DESCR", "EYE_COLOR_CODE", "EYE_COLOR_DESCR",
    "HAIR_COLOR_CODE", "HAIR_COLOR_DESCR", "HEIGHT", "WEIGHT",
    "SINGLE_SOURCE", "MULTI_SOURCE", "POB_CODE", "POB_NAME", "POB_TYPE", "CITIZENSHIP_LIST",
    "CYC_SEG_SEP", "CYC_ORDER", "CYC_DATE",
    "STP_SEG_SEP", "STP_ORDER", "STP_EVENT_DATE", "STP_TYPE_CODE", "STP_TYPE_DESCR",
    "STP_ORI_TYPE", "STP_ORI_TYPE_DESCR", "STP_ORI_CODE",
    "STP_ORI_DESCR", "STP_ORI_CNTY_CODE", "STP_ORI_CNTY_NAME",
    "CNT_SEG_SEP", "CNT_ORDER", "DISP_DATE", "OFN", "OFFENSE_CODE", "OFFENSE_DESCR", "OFFENSE_TOC",
    "OFFENSE_QUAL_LST",
    "DISP_OFFENSE_CODE", "DISP_OFFENSE_DESCR", "DISP_OFFENSE_TOC", "DISP_OFFENSE_QUAL_LST",
    "CONV_OFFENSE_ORDER", "CONV_OFFENSE_CODE", "CONV_OFFENSE_DESCR", "CONV_OFFENSE_TOC",
    "CONV_OFFENSE_QUAL_LST",
    "FE_NUM_ORDER", "FE_NUM_ARR_AGY", "FE_NUM_BNCH_WARR", "FE_NUM_CITE", "FE_NUM_DOCKET",
    "FE_NUM_INCIDENT", "FE_NUM_BOOKING",
    "FE_NUM_NUMBER", "FE_NUM_REMAND", "FE_NUM_OOS_INN", "FE_NUM_CRT_CASE", "FE_NUM_WARRANT",
    "DISP_ORDER", "DISP_CODE", "DISP_DESCR", "CONV_STAT_CODE", "CONV_STAT_DESCR",
    "SENT_SEG_SEP", "SENT_ORDER", "SENT_LOC_CODE", "SENT_LOC_DESCR", "SENT_LENGTH",
    "SENT_TIME_CODE", "SENT_TIME_DESCR",
    "CYC_AGE", "CII_TYPE", "CII_TYPE_ALPHA", "COMMENT_TEXT", "END_OF_REC",
)
N_FIELDS = len(FIELDS)
assert N_FIELDS == 95

INDEX: dict[str, int] = {name: i for i, name in enumerate(FIELDS)}

# Columns that identify a person beyond what the app needs: never copied out of the
# verbatim source row (which the UI hides by default).
SENSITIVE_FIELDS = frozenset({
    "REQ_SSN", "PRI_SSN", "REQ_CDL", "PRI_CDL", "FBI_NUMBER", "PRI_IDN", "PRI_INN",
})

# BEAR (the statewide county tool) appends these result columns to the 95 DOJ fields in its
# All_Results.csv / Prop64_Results.csv; the two the app reads are named here.
BEAR_DETERMINATION = "Eligibility Determination"
BEAR_REASON = "Eligibility Reason"

# BEAR's determination text -> clerkapp outcome; anything else non-empty -> needs_review.
BEAR_OUTCOMES: dict[str, str] = {
    "eligible for dismissal": "dismiss_and_seal",
    "eligible for reduction": "redesignate_misdemeanor",
    "not eligible": "not_eligible",
}

LEVELS: dict[str, str] = {"FELONY": "F", "MISDEMEANOR": "M", "INFRACTION": "I"}
TOC_LEVELS: dict[str, str] = {"F": "F", "M": "M", "I": "I"}

# Sentence time units (SENT_TIME_CODE).
TIME_UNITS = frozenset({"D", "M", "Y"})

NULL_VALUES = frozenset({"", "NULL", "NONE", "N/A"})
