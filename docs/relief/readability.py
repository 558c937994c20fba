"""Sentence length of a letter's prose (intro, what it means, how to get a copy): the figure the
plain-language review of the notices is measured by (docs/relief.md).

    python3 docs/relief/readability.py forms/notice-en.toml forms/notice-es.toml
    git show <commit>:forms/notice-en.toml > /tmp/en.toml; python3 docs/relief/readability.py /tmp/en.toml

A placeholder counts as one word. "Without citations" leaves out the statute references in
parentheses, which the reader may skip.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_CITATION = re.compile(r"\s*\((?:Health and Safety Code|section|artículo|Proposición)[^)]*\)+")


def prose(path: Path) -> list[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    texts = [data.get("letter", {}).get("intro", "")]
    for section in ("meaning", "copy"):
        texts += [p["text"] if isinstance(p, dict) else p
                  for p in data.get(section, {}).get("paragraphs", [])]
    return [t for t in texts if t]


def sentences(texts: list[str]) -> list[str]:
    return [s for t in texts for s in re.split(r"(?<=[.?!])\s+", t.strip()) if s]


def report(path: Path) -> str:
    found = sentences(prose(path))
    words = [len(s.split()) for s in found]
    bare = [len(_CITATION.sub("", s).split()) for s in found]
    return (f"{path}: {len(found)} sentences, {sum(words)} words, average {sum(words) / len(words):.1f}"
            f" words (longest {max(words)}); without citations {sum(bare) / len(bare):.1f}"
            f" (longest {max(bare)})")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(report(Path(name)))
