"""`clerkapp --self-test`: the whole application, end to end, on a throwaway store.

Every packaging step (the Linux bundle in CI, the Windows installer under Wine, a court's IT
after a silent install) runs this one command, so it exercises what a clerk's first hour does:
the fonts and order templates load, the bundled sample data imports, evaluates, gets approved
and prints an order PDF, and the main window opens on it. It prints one line and exits 0, or
names the step that failed and exits 1.

A windowed Windows executable has no console, so the line also goes to
`<user data>/logs/selftest.log` (appended, with a timestamp); the console `clerkapp-cli.exe`
prints it as well. Only counts are reported: the sample data is synthetic, and no names,
dates of birth or identifiers ever reach the line or the log.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clerkapp import __version__
from clerkapp.errors import ClerkError
from clerkapp.paths import FORMS_DIR, RESOURCES_DIR, user_data_dir

CLERK = "self-test"
SAMPLE_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods", ".txt", ".dat")
LICENCE_GLOBS = ("LICENSE*", "LICENCE*", "*OFL*", "COPYING*")


class StepFailed(Exception):
    """A self-test step found something wrong; the message says what, without personal data."""


@dataclass
class Context:
    """What the steps hand on to each other."""

    workdir: Path
    qt_args: list[str]
    store: Any = None
    facts: list[str] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)


def _need(module: str, name: str | None = None) -> Any:
    """Import a service module (or one attribute of it); 'not available' when it is missing."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise StepFailed(f"not available: {module} ({exc.name} missing)") from None
    if name is None:
        return mod
    if not hasattr(mod, name):
        raise StepFailed(f"not available: {module}.{name}")
    return getattr(mod, name)


def check_fonts(ctx: Context) -> None:
    """Every font the order renderer names exists, loads as a TrueType font, and has its licence."""
    font_files: dict[str, str] = _need("clerkapp.orders.fonts", "FONT_FILES")
    fonts_dir = RESOURCES_DIR / "fonts"
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file_name in font_files.items():
        path = fonts_dir / file_name
        if not path.is_file():
            raise StepFailed(f"font {name!r} missing: {path}")
        try:
            TTFont(f"selftest-{name}", str(path))
        except Exception as exc:  # reportlab raises bare TTFError/OSError subclasses
            raise StepFailed(f"font {name!r} does not load: {path}: {exc}") from None
    if not any(p for g in LICENCE_GLOBS for p in fonts_dir.glob(g)):
        raise StepFailed(f"no font licence file in {fonts_dir}")
    ctx.facts.append(f"{len(font_files)} fonts")


def check_templates(ctx: Context) -> None:
    """The default per-case and bulk order templates load and validate."""
    defaults: dict[str, str] = _need("clerkapp.orders.templates", "DEFAULT_TEMPLATES")
    load_template = _need("clerkapp.orders.templates", "load_template")
    for kind, name in defaults.items():
        try:
            load_template(name, kind)
        except ClerkError as exc:
            raise StepFailed(f"{kind} order template {name!r} ({FORMS_DIR}): {exc}") from None
    ctx.facts.append(f"{len(defaults)} templates")


def open_store(ctx: Context) -> None:
    store_cls = _need("clerkapp.store", "Store")
    ctx.store = store_cls(ctx.workdir / "clerk.db")


def import_sample(ctx: Context) -> None:
    """Import every bundled sample file, as a clerk would on the first day."""
    import_files = _need("clerkapp.ingest.service", "import_files")
    sample_dir = RESOURCES_DIR / "sample"
    files = sorted(
        p for p in sample_dir.glob("*")
        if p.is_file() and p.suffix.lower() in SAMPLE_SUFFIXES and not p.name.startswith("README")
    )
    if not files:
        raise StepFailed(f"no sample data in {sample_dir}")
    summaries = import_files(ctx.store, files, operator=CLERK)
    rows = sum(s.rows for s in summaries)
    convictions = sum(s.convictions for s in summaries)
    if convictions == 0:
        raise StepFailed(f"the {len(files)} sample files gave no convictions")
    plural = "s" if len(files) != 1 else ""
    ctx.facts.append(f"{len(files)} file{plural}, {rows} rows, {convictions} convictions imported")


def evaluate_sample(ctx: Context) -> None:
    evaluate = _need("clerkapp.rules.service", "evaluate")
    summary = evaluate(ctx.store, operator=CLERK)
    total = sum(summary.counts.values())
    if total == 0:
        raise StepFailed("the evaluation made no determinations")
    # large stores are evaluated in worker processes: check this build can start them
    again = evaluate(ctx.store, operator=CLERK, processes=True)
    if again.counts != summary.counts:
        raise StepFailed(f"the worker processes decided {again.counts}, not {summary.counts}")
    ctx.facts.append(f"{total} evaluated (in worker processes too)")


def approve_some(ctx: Context) -> None:
    decide = _need("clerkapp.review.service", "decide")
    pending = ctx.store.relief_pending_ids()
    if not pending:
        raise StepFailed("the sample data has no conviction eligible for relief")
    ctx.approved = pending[:1]
    decide(ctx.store, ctx.approved, "approved", clerk=CLERK, note="self-test")


# A fresh store has no court profile, and orders refuse to print without one (the county is
# the approved conviction's: a court orders relief for its own county only).
SELF_TEST_PROFILE = {
    "court.judge": "Self-Test Judge",
    "court.clerk": "Self-Test Clerk",
    "court.department": "1",
}


def print_one_order(ctx: Context) -> None:
    """One per-case order PDF, checked to be a PDF that ends properly."""
    print_orders = _need("clerkapp.orders.service", "print_orders")
    detail = ctx.store.conviction_detail(ctx.approved[0])
    profile = {"court.county": (detail.conviction.get("county") or "").strip(),
               **SELF_TEST_PROFILE}
    for key, value in profile.items():
        if not ctx.store.get_setting(key):
            ctx.store.set_setting(key, value)
    outdir = ctx.workdir / "orders"
    print_orders(ctx.store, outdir, conviction_ids=ctx.approved, operator=CLERK)
    pdfs = sorted(outdir.rglob("*.pdf"))
    if not pdfs:
        raise StepFailed(f"no order PDF written to {outdir}")
    data = pdfs[0].read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise StepFailed(f"{pdfs[0].name} is not a complete PDF")
    ctx.facts.append(f"{len(pdfs)} order PDF ({len(data) // 1024} KB)")


def open_window(ctx: Context) -> None:
    """The real main window on the sample store, shown (offscreen when -platform says so)."""
    qt_widgets = _need("PySide6.QtWidgets")
    qt_core = _need("PySide6.QtCore")
    main_window_cls = _need("clerkapp.ui.mainwindow", "MainWindow")
    app = qt_widgets.QApplication.instance() or qt_widgets.QApplication(
        ["clerkapp", *ctx.qt_args]
    )
    # Its own settings file, so the clerk's saved window layout is neither read nor overwritten.
    settings = qt_core.QSettings(str(ctx.workdir / "window.ini"), qt_core.QSettings.IniFormat)
    window = main_window_cls(ctx.store, settings=settings)
    pool = qt_core.QThreadPool.globalInstance()
    try:
        window.show()
        for _ in range(5):
            app.processEvents()
        pool.waitForDone(10_000)  # the window's background counts finish before it closes
        app.processEvents()
        if not window.isVisible():
            raise StepFailed("the main window did not show")
        ctx.facts.append(f"window ok ({app.platformName()})")
    finally:
        window.close()
        pool.waitForDone(10_000)
        window.deleteLater()
        app.processEvents()


STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("fonts", check_fonts),
    ("templates", check_templates),
    ("store", open_store),
    ("import", import_sample),
    ("evaluate", evaluate_sample),
    ("review", approve_some),
    ("orders", print_one_order),
    ("window", open_window),
]


def run_steps(qt_args: list[str]) -> tuple[str | None, str]:
    """Run every step on a temporary store; (failed step or None, detail)."""
    with tempfile.TemporaryDirectory(prefix="clerkapp-selftest-", ignore_cleanup_errors=True) as d:
        ctx = Context(workdir=Path(d), qt_args=list(qt_args))
        try:
            for name, step in STEPS:
                try:
                    step(ctx)
                except StepFailed as exc:
                    return name, str(exc)
                except ClerkError as exc:
                    return name, str(exc)
                except Exception as exc:
                    frame = traceback.extract_tb(exc.__traceback__)[-1]
                    where = f"{Path(frame.filename).name}:{frame.lineno}"
                    return name, f"{type(exc).__name__} at {where}: {exc}"
        finally:
            if ctx.store is not None:
                ctx.store.close()
    return None, ", ".join(ctx.facts)


def run_self_test(qt_args: list[str]) -> int:
    """Run the self-test; print and log one summary line; 0 when every step passed."""
    started = time.perf_counter()
    failed, detail = run_steps(qt_args)
    seconds = time.perf_counter() - started
    if failed is None:
        line = f"clerkapp {__version__} self-test PASS: {detail}; {seconds:.1f} s"
    else:
        line = f"clerkapp {__version__} self-test FAIL at {failed}: {detail}"
    _report(line, to_stderr=failed is not None)
    return 0 if failed is None else 1


def _report(line: str, *, to_stderr: bool) -> None:
    stream = sys.stderr if to_stderr else sys.stdout
    if stream is not None:  # None in a windowed Windows executable
        try:
            print(line, file=stream, flush=True)
        except OSError:
            pass
    try:
        log = user_data_dir() / "logs" / "selftest.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{stamp} {line}\n")
    except OSError:
        pass
