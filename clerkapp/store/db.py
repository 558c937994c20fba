"""The Store: one object, the only place in clerkapp that speaks SQL.

It is assembled from one class per area (imports, rules, reviews, orders, the review queue,
reports, settings, audit), each in its own module, so each stays small.
"""

from __future__ import annotations

from clerkapp.store.audit import AuditStore
from clerkapp.store.claims import ClaimStore
from clerkapp.store.closeout import CloseoutStore
from clerkapp.store.closeout_orders import CloseoutOrderStore
from clerkapp.store.conflicts import ConflictStore
from clerkapp.store.corrections import CorrectionStore
from clerkapp.store.detail import DetailStore
from clerkapp.store.done_elsewhere import DoneElsewhereStore
from clerkapp.store.impact import ImpactStore
from clerkapp.store.imports import ImportStore
from clerkapp.store.integrity import IntegrityStore
from clerkapp.store.new_store import NewStoreStore
from clerkapp.store.notices import NoticeStore
from clerkapp.store.order_once import OrderOnceStore
from clerkapp.store.order_records import OrderRecordStore
from clerkapp.store.orders import OrderStore
from clerkapp.store.outputs import OutputStore
from clerkapp.store.people import PeopleStore
from clerkapp.store.queue import QueueStore
from clerkapp.store.reconcile import ReconcileStore
from clerkapp.store.record_bindings import RecordBindingStore
from clerkapp.store.reports import ReportStore
from clerkapp.store.reviews import ReviewStore
from clerkapp.store.rules import RulesStore
from clerkapp.store.settings import SettingsStore
from clerkapp.store.sources import SourceStore
from clerkapp.store.superseded import SupersededStore
from clerkapp.store.tidy import TidyStore
from clerkapp.store.update_corrections import UpdateCorrectionStore
from clerkapp.store.withdrawals import WithdrawalStore


class Store(
    ImportStore,
    RulesStore,
    ReviewStore,
    OrderStore,
    OrderRecordStore,
    OrderOnceStore,
    SupersededStore,
    CloseoutStore,
    CloseoutOrderStore,
    UpdateCorrectionStore,
    OutputStore,
    PeopleStore,
    NoticeStore,
    IntegrityStore,
    RecordBindingStore,
    QueueStore,
    DetailStore,
    ReportStore,
    ImpactStore,
    ReconcileStore,
    SettingsStore,
    AuditStore,
    CorrectionStore,
    WithdrawalStore,
    SourceStore,
    ClaimStore,
    ConflictStore,
    DoneElsewhereStore,
    NewStoreStore,
    TidyStore,
):
    """Open with `Store(path)`; use `with store.atomic():` around every write that must land whole."""
