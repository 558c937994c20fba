"""Collect the licences of everything the bundle carries, for `licenses/` in the bundle.

Used by clerkapp.spec at build time. Walks the project's runtime dependencies (pyproject.toml)
through their requirements, copies each distribution's licence files, adds Python's own
licence, and writes THIRD-PARTY.txt: one line per distribution with its version and declared
licence (PySide6/shiboken6 declare LGPL-3.0 and ship no licence file, so the line is what
records it). Fonts keep their licence beside them in resources/fonts.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

LICENCE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(requirements: list[str]) -> dict[str, Distribution]:
    """The installed distributions the requirements pull in at run time (no extras)."""
    found: dict[str, Distribution] = {}
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = _key(req.name)
        if key in found:
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            continue
        found[key] = dist
        todo.extend(Requirement(r) for r in dist.requires or [])
    return found


def _declared_licence(dist: Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression") or ""
    if expression:
        return expression
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    text = (meta.get("License") or "").strip().splitlines()
    return "; ".join(classifiers) or (text[0] if text else "see the files")


def licence_datas(requirements: list[str], outdir: Path) -> list[tuple[str, str]]:
    """(source, dest dir) pairs for PyInstaller's datas, plus THIRD-PARTY.txt written to outdir."""
    datas: list[tuple[str, str]] = []
    lines = ["Third-party software in this bundle, with the licence each declares.", ""]
    for key, dist in sorted(dependency_closure(requirements).items()):
        name = dist.metadata["Name"]
        lines.append(f"{name} {dist.version}: {_declared_licence(dist)}")
        for f in dist.files or []:
            if ".dist-info" in str(f) and LICENCE_NAME.match(f.name):
                rel = Path(str(f)).relative_to(Path(str(f)).parts[0]).parent
                datas.append((str(f.locate()), str(Path("licenses") / key / rel)))
    python_licence = Path(sysconfig.get_path("stdlib"), "LICENSE.txt")
    if not python_licence.exists():
        python_licence = Path(sys.base_prefix, "LICENSE.txt")  # Windows embeddable layout
    if python_licence.exists():
        lines.append(f"Python {sys.version.split()[0]}: PSF-2.0")
        datas.append((str(python_licence), "licenses/python"))
    # Qt for Python is used under the LGPL-3.0 (which builds on the GPL-3.0); its wheels carry
    # no licence text, so the texts kept in installer/licenses go with it.
    for text in sorted((Path(__file__).resolve().parent / "licenses").glob("*.txt")):
        datas.append((str(text), "licenses/pyside6"))
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "THIRD-PARTY.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    datas.append((str(outdir / "THIRD-PARTY.txt"), "licenses"))
    return datas
