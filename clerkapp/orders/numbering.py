"""Hands out order numbers for one printing run, from the court's pattern.

Numbers are reserved before each file is drawn (the number is printed on every page) and
recorded with the file at the end of the run; the unique index on `orders.order_number`
refuses a number another printing took meanwhile, and the run then records nothing.
"""

from __future__ import annotations

from clerkapp.domain.order_numbers import DEFAULT_PATTERN, PatternError, parse_pattern
from clerkapp.errors import BadInput
from clerkapp.store import Store
from clerkapp.store.order_records import OrderNumber

PATTERN_SETTING = "orders.number_pattern"


class OrderNumberer:
    """Next numbers of the series the pattern gives for this run's date and kind."""

    def __init__(self, store: Store, order_date: str, kind: str) -> None:
        text = str(store.get_setting(PATTERN_SETTING) or DEFAULT_PATTERN)
        try:
            self.pattern = parse_pattern(text)
        except PatternError as exc:
            raise BadInput(f"setting {PATTERN_SETTING}: {exc}; correct it under Tools ▸ Court"
                           f" profile & settings or with `clerkapp settings"
                           f" {PATTERN_SETTING}=...`") from None
        self.store = store
        self.date = order_date
        self.kind = kind
        self.series = self.pattern.series(order_date, kind)
        self.seq = store.next_order_seq(self.series)

    def peek(self) -> OrderNumber:
        """The number the next order would get, without taking it (for a preview)."""
        seq = self._free(self.seq)
        return OrderNumber(self.pattern.number(self.date, self.kind, seq), self.series, seq)

    def take(self) -> OrderNumber:
        number = self.peek()
        self.seq = number.seq + 1
        return number

    def _free(self, seq: int) -> int:
        # a number the court's earlier pattern happened to make already is skipped
        while self.store.order_number_taken(self.pattern.number(self.date, self.kind, seq)):
            seq += 1
        return seq
