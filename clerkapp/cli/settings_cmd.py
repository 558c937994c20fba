"""Show or change the court profile and the other settings (the same ones as Tools ▸ Court
profile & settings in the app).

With no KEY=VALUE, lists every setting: key, label and value. With KEY=VALUE pairs, sets them:
all in one transaction, each change with an entry in the audit log. An unknown key changes
nothing. Example: clerkapp settings court.county=Yolo court.judge="Hon. A. Judge"
"""

from __future__ import annotations

import argparse
from typing import Any

from clerkapp.errors import BadInput
from clerkapp.store.settings import SETTINGS, Setting

_BY_KEY = {s.key: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pairs", nargs="*", metavar="KEY=VALUE",
                        help="settings to change, e.g. court.county=Yolo (none: list them all)")
    parser.add_argument("--by", default=None,
                        help="operator name for the audit log (default: the clerk name setting,"
                             " else the login name)")


def parse_pairs(pairs: list[str]) -> dict[str, Any]:
    """{key: value} from KEY=VALUE arguments; BadInput naming the first bad one."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise BadInput(f"expected KEY=VALUE, got {pair!r}")
        setting = _BY_KEY.get(key)
        if setting is None:
            raise BadInput(f"unknown setting {key!r} (known: {', '.join(_BY_KEY)})")
        out[key] = _typed(setting, value.strip())
        if setting.check is not None:
            try:
                setting.check(out[key])
            except ValueError as exc:
                raise BadInput(f"setting {key}: {exc}") from None
        if setting.normalize is not None:
            out[key] = setting.normalize(out[key])
    return out


def _typed(setting: Setting, value: str) -> Any:
    """The value in the type of the setting's default (all text today; yes/no and numbers
    are read as such so a later declared setting needs no change here)."""
    if isinstance(setting.default, bool):
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise BadInput(f"setting {setting.key}: expected yes or no, got {value!r}")
    if isinstance(setting.default, int):
        try:
            return int(value)
        except ValueError:
            raise BadInput(f"setting {setting.key}: expected a whole number, got {value!r}") from None
    return value


def _operator(store: Any, by: str | None) -> str:
    return (by or "").strip() or store.clerk_name()


def run(args: argparse.Namespace) -> int:
    from clerkapp.store import Store

    changes = parse_pairs(args.pairs)  # refused before the store is opened
    with Store(args.db) as store:
        if changes:
            actor = _operator(store, args.by)
            with store.atomic():
                for key, value in changes.items():
                    old = store.get_setting(key)
                    if old == value:
                        continue
                    store.set_setting(key, value)
                    store.audit(actor, "settings", entity="settings",
                                details={"changed": [key], "from": old, "to": value})
        rows = [(s.key, s.label, store.get_setting(s.key)) for s in SETTINGS
                if not changes or s.key in changes]
    key_w = max(len(k) for k, _, _ in rows)
    label_w = max(len(label) for _, label, _ in rows)
    for key, label, value in rows:
        print(f"{key:<{key_w}}  {label:<{label_w}}  {_shown(value)}".rstrip())
    return 0


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value).replace("\n", " / ")
