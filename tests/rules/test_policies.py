"""Policies as files: shipped names, county TOML copies, BEAR's JSON; refused with file and key."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from clerkapp.errors import PolicyError
from clerkapp.rules.policies import POLICY_DIR, available_policies, load_policy

GOGEN_OPTIONS = "eligibility_options.json"


def test_shipped_policies_load_and_hash_their_bytes():
    assert available_policies() == ["configurable", "dismiss-all", "statute"]
    for name in available_policies():
        p = load_policy(name)
        raw = (POLICY_DIR / f"{name}.toml").read_bytes()
        assert p.sha256 == hashlib.sha256(raw).hexdigest() and p.text == raw.decode()
    assert load_policy(None).name == "statute"
    assert load_policy("dismiss-all").authority == "PC 1385; HS 11361.9"


def test_bear_json_is_read_as_bear_reads_it(tmp_path):
    from .tests_rules_paths import gogen
    p = load_policy(gogen(GOGEN_OPTIONS))
    assert p.kind == "configurable" and p.bear.dismiss == {"11357", "11358"}
    assert p.bear.reduce == {"11359", "11360"} and p.bear.age_threshold == 57
    assert p.bear.years_since_conviction == 10 and p.bear.deceased and p.bear.only_prop64


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(("text", "key"), [
    ("[options]\nattempts_and_conspiracy = 'review'\n", "options.attempts_and_conspiracy"),
    ("[options]\npriors_counting = 'twice'\n", "options.priors_counting"),
    ("[options]\nclerk_flags_review = 'yes'\n", "options.clerk_flags_review"),
    ("[exceptions]\nsuperstrike = true\n", "exceptions.superstrike"),
    ("[policy]\nkind = 'lenient'\n", "policy.kind"),
    ("[policy]\nkind = 'configurable'\n[additional_relief]\nsubject_age_threshold = 39\n",
     "additional_relief.subject_age_threshold"),
    ("[policy]\nkind = 'configurable'\n[additional_relief]\nyears_crime_free_threshold = 16\n",
     "additional_relief.years_crime_free_threshold"),
    ("[policy]\nkind = 'configurable'\n[baseline]\ndismiss = ['11357.5']\n", "baseline.dismiss"),
    ("[policy]\nkind = 'configurable'\n[baseline]\ndismiss = ['11359']\nreduce = ['11359']\n",
     "both dismiss and reduce"),
    ("[options\n", "not valid TOML"),
])
def test_bad_toml_names_file_and_key(tmp_path, text, key):
    path = _write(tmp_path, "county.toml", text)
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert str(path) in str(info.value) and key in str(info.value)


@pytest.mark.parametrize(("change", "key"), [
    ({"subjectAgeThreshold": 70}, "additionalRelief.subjectAgeThreshold"),
    ({"subjectAgeThreshold": 39}, "additionalRelief.subjectAgeThreshold"),
    ({"yearsSinceConvictionThreshold": 16}, "additionalRelief.yearsSinceConvictionThreshold"),
    ({"yearsCrimeFreeThreshold": -1}, "additionalRelief.yearsCrimeFreeThreshold"),
    ({"subjectIsDeceased": "yes"}, "additionalRelief.subjectIsDeceased"),
    ({"subjectAgeThresold": 50}, "additionalRelief.subjectAgeThresold"),
])
def test_bad_bear_json_names_file_and_key(tmp_path, change, key):
    from .tests_rules_paths import gogen
    data = json.loads(gogen(GOGEN_OPTIONS).read_text())
    data["additionalRelief"].update(change)
    path = _write(tmp_path, "options.json", json.dumps(data))
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert str(path) in str(info.value) and key in str(info.value)


@pytest.mark.parametrize(("value", "ok"), [(0, True), (40, True), (65, True), (66, False)])
def test_bear_age_limits(tmp_path, value, ok):
    path = _write(tmp_path, "o.json", json.dumps({"additionalRelief": {"subjectAgeThreshold": value}}))
    if ok:
        assert load_policy(path).bear.age_threshold == value
    else:
        with pytest.raises(PolicyError):
            load_policy(path)


def test_json_that_is_not_bear_and_unknown_names(tmp_path):
    with pytest.raises(PolicyError, match="not a BEAR"):
        load_policy(_write(tmp_path, "x.json", '{"rules": []}'))
    with pytest.raises(PolicyError, match="unknown policy 'lenient'"):
        load_policy("lenient")
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")


def test_a_county_copy_keeps_its_own_name_and_hash(tmp_path):
    path = tmp_path / "yolo.toml"
    shutil.copy(POLICY_DIR / "statute.toml", path)
    path.write_text(path.read_text().replace('name = "statute"', 'name = "yolo"')
                    .replace('priors_counting = "per_cycle"', 'priors_counting = "per_count"'))
    p = load_policy(path)
    assert p.name == "yolo" and p.priors_counting == "per_count"
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
