"""The README's path through the court's own export reconciles before it approves and prints:
approved and printed first, a conviction on the DOJ list and in the court's records got two
orders (OR101529.pdf and OR101529_2.pdf) and two rows in the DOJ update."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _court_path_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("**The court's own case-management export**")
    block = text[text.index("```", start) + 3:]
    block = block[:block.index("```")]
    return [line.split()[1] for line in block.splitlines() if line.startswith("clerkapp ")]


def test_the_readme_reconciles_before_approving_and_printing():
    steps = _court_path_commands()
    assert (steps.index("import") < steps.index("reconcile") < steps.index("review")
            < steps.index("orders"))
