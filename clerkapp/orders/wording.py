"""Which wording each order of a printing will use, and why: the recitals depend on where the
convictions came from (`[sources.<kind>]` in the templates), and a bulk order never mixes them,
so a printing writes one bulk order per kind of list. The print dialog shows these lines."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from clerkapp.domain.sources import SOURCE_LABELS
from clerkapp.orders.templates import DEFAULT_TEMPLATES, load_template
from clerkapp.store import Store


def wording_lines(store: Store, conviction_ids: Iterable[int] | None = None, *,
                  bulk: bool = False, only_unprinted: bool = False,
                  template: str | Path | None = None) -> list[str]:
    """One line per kind of list among the convictions to print: how many, the wording, why."""
    kind = "bulk" if bulk else "case"
    tmpl = load_template(template or DEFAULT_TEMPLATES[kind], kind)
    ids = None if conviction_ids is None else list(conviction_ids)
    groups = store.relief_sources(ids, only_unprinted=only_unprinted)
    lines = []
    if bulk and len(groups) > 1:
        lines.append(f"{len(groups)} bulk orders, one per kind of list: a bulk order never"
                     " mixes recitals that do not hold for every line.")
    for source, group in sorted(groups.items()):
        label = tmpl.get(f"sources.{source}.label", SOURCE_LABELS.get(source, source))
        why = tmpl.get(f"sources.{source}.why", "")
        what = f"{len(group):,} conviction{'s' if len(group) != 1 else ''}"
        lines.append(f"{what} from {SOURCE_LABELS.get(source, source)}: worded as {label}"
                     + (f", because {why}." if why else "."))
    if not bulk and len(groups) > 1:
        lines.append("A case whose counts came from several kinds of list gets only the"
                     " findings true of all of them.")
    return lines
