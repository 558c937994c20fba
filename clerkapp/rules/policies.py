"""Policies as files: the choices the law leaves to a county, versioned and hashed.

A policy is a TOML file (`resources/policies/*.toml`; a county copies one and edits it) or
BEAR's own `eligibility_options.json`. Every option is validated here, so a bad file is
refused with its file name and key before any conviction is touched.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerkapp.errors import PolicyError
from clerkapp.paths import RESOURCES_DIR
from clerkapp.rules.bear import BearOptions, parse_bear_json, parse_bear_toml

POLICY_DIR = RESOURCES_DIR / "policies"
KINDS = ("statute", "dismiss_all", "configurable")
EXCEPTIONS = ("super_strike", "pc290", "two_priors", "remaining_felony", "environmental")

# option -> allowed values (None: a boolean)
_CHOICES: dict[str, tuple[str, ...] | None] = {
    "attempts_and_conspiracies": ("review", "as_target"),
    "unknown_offense_date": ("presume_after", "review"),
    "unknown_level": ("review", "when_immaterial"),
    "unspecified_11357": ("dismiss_and_seal", "redesignate_infraction", "review"),
    "priors_counting": ("per_cycle", "per_count"),
    "priors_before_cutoff_count": None,
    "clerk_flags_review": None,
    "plea_bargain_review": None,
    "related_charges_review": None,
}


@dataclass(frozen=True)
class Policy:
    """A loaded policy. `sha256` is of the file's bytes and is recorded on every run."""

    name: str
    kind: str
    text: str
    sha256: str
    source: str
    description: str = ""
    authority: str = ""  # dismiss_all: the authority every dismissal cites
    attempts_and_conspiracies: str = "review"
    unknown_offense_date: str = "presume_after"
    unknown_level: str = "review"
    unspecified_11357: str = "dismiss_and_seal"
    priors_counting: str = "per_cycle"
    priors_before_cutoff_count: bool = True
    clerk_flags_review: bool = True
    plea_bargain_review: bool = True
    related_charges_review: bool = False
    exceptions: frozenset[str] = field(default_factory=lambda: frozenset(EXCEPTIONS))
    bear: BearOptions | None = None


def available_policies() -> list[str]:
    """The policies shipped with the app, by name."""
    return sorted(p.stem for p in POLICY_DIR.glob("*.toml"))


def load_policy(name_or_path: str | Path | None = None) -> Policy:
    """A shipped policy by name (`statute`), a TOML file, or BEAR's options JSON."""
    name_or_path = name_or_path or "statute"
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = POLICY_DIR / f"{name_or_path}.toml"
        if not path.exists():
            raise PolicyError(
                f"unknown policy {str(name_or_path)!r}; choose one of "
                f"{', '.join(available_policies())} or give a policy file",
            )
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PolicyError(f"cannot read the policy file ({e.strerror})", file=str(path)) from e
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PolicyError("the policy file is not UTF-8 text", file=str(path)) from e
    if path.suffix.lower() == ".json":
        return _from_bear_json(path, text, digest)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PolicyError(f"not valid TOML: {e}", file=str(path)) from e
    return _from_toml(path, text, digest, data)


def _from_bear_json(path: Path, text: str, digest: str) -> Policy:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise PolicyError(f"not valid JSON: {e.msg} (line {e.lineno})", file=str(path)) from e
    if not isinstance(data, dict) or not ({"baselineEligibility", "additionalRelief"} & set(data)):
        raise PolicyError(
            "not a BEAR eligibility options file (no baselineEligibility or additionalRelief)",
            file=str(path),
        )
    bear = parse_bear_json(data, str(path))
    return Policy(
        name=f"bear:{path.stem}", kind="configurable", text=text, sha256=digest,
        source=str(path), description="BEAR eligibility options, read as BEAR reads them",
        attempts_and_conspiracies="as_target", clerk_flags_review=False,
        plea_bargain_review=False, exceptions=frozenset(), bear=bear,
    )


def _from_toml(path: Path, text: str, digest: str, data: dict[str, Any]) -> Policy:
    where = str(path)
    unknown = set(data) - {"policy", "options", "exceptions", "baseline", "additional_relief"}
    if unknown:
        raise PolicyError(f"unknown section [{sorted(unknown)[0]}]", file=where)
    head = _table(data, "policy", where)
    for key in set(head) - {"name", "kind", "description", "authority"}:
        raise PolicyError(f"unknown key policy.{key}", file=where)
    kind = head.get("kind", "statute")
    if kind not in KINDS:
        raise PolicyError(f"policy.kind must be one of {', '.join(KINDS)}, not {kind!r}", file=where)
    values: dict[str, Any] = {}
    for key, value in _table(data, "options", where).items():
        if key not in _CHOICES:
            raise PolicyError(f"unknown key options.{key}", file=where)
        allowed = _CHOICES[key]
        if allowed is None:
            if not isinstance(value, bool):
                raise PolicyError(f"options.{key} must be true or false, not {value!r}", file=where)
        elif value not in allowed:
            raise PolicyError(
                f"options.{key} must be one of {', '.join(allowed)}, not {value!r}", file=where
            )
        values[key] = value
    if kind == "configurable":  # BEAR flags nothing for review and reads attempts as the target
        for key, value in (("attempts_and_conspiracies", "as_target"),
                           ("clerk_flags_review", False), ("plea_bargain_review", False)):
            values.setdefault(key, value)
    exceptions = set(EXCEPTIONS) if kind == "statute" else set()
    for key, value in _table(data, "exceptions", where).items():
        if key not in EXCEPTIONS:
            raise PolicyError(f"unknown key exceptions.{key}", file=where)
        if not isinstance(value, bool):
            raise PolicyError(f"exceptions.{key} must be true or false, not {value!r}", file=where)
        (exceptions.add if value else exceptions.discard)(key)
    bear = None
    if kind == "configurable":
        bear = parse_bear_toml(
            _table(data, "baseline", where), _table(data, "additional_relief", where), where
        )
    elif "baseline" in data or "additional_relief" in data:
        raise PolicyError("[baseline] and [additional_relief] belong to kind = \"configurable\"",
                          file=where)
    authority = head.get("authority", "PC 1385; HS 11361.9" if kind == "dismiss_all" else "")
    return Policy(
        name=str(head.get("name", path.stem)), kind=kind, text=text, sha256=digest,
        source=where, description=str(head.get("description", "")), authority=str(authority),
        exceptions=frozenset(exceptions), bear=bear, **values,
    )


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise PolicyError(f"{key} must be a table ([{key}])", file=where)
    return value
