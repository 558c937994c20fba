"""One writer at a time on either engine: a write starts at once when the store is free, waits
for another clerk's write (silently at first, then saying so), lands when it ends in time, and
is refused with StoreLocked when it does not; nothing of it is written then."""

from __future__ import annotations

import threading

import pytest

from clerkapp.errors import StoreLocked
from clerkapp.store import Store, base


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(base, "LOCK_WAIT_S", 1)
    monkeypatch.setattr(base, "FIRST_WAIT_MS", 200)
    notices: list[str] = []
    monkeypatch.setattr(base, "WAIT_NOTICE", notices.append)
    return notices


def test_a_free_store_is_written_at_once(both_targets, short_wait):
    with Store(both_targets) as store:
        with store.atomic():
            store.set_setting("court.county", "Alameda")
        assert store.get_setting("court.county") == "Alameda"
        assert not store.conn.in_transaction
    assert short_wait == []


def test_a_held_store_waits_then_refuses_and_writes_nothing(both_targets, short_wait):
    with Store(both_targets) as holder, Store(both_targets) as other:
        with holder.atomic():
            holder.set_setting("court.county", "Alameda")
            with pytest.raises(StoreLocked), other.atomic():
                other.set_setting("court.county", "Butte")
            assert not other.conn.in_transaction
        assert len(short_wait) == 1 and "waiting up to 1 s" in short_wait[0]
        assert other.get_setting("court.county") == "Alameda"
        with other.atomic():  # free again: at once
            other.set_setting("court.county", "Butte")
        assert holder.get_setting("court.county") == "Butte"


def test_a_write_released_in_time_lets_the_other_land(both_targets, short_wait):
    with Store(both_targets) as holder, Store(both_targets) as other:
        holding = threading.Event()

        def hold() -> None:
            with holder.atomic():
                holder.set_setting("court.county", "Alameda")
                holding.set()
                threading.Event().wait(0.5)

        thread = threading.Thread(target=hold)
        thread.start()
        holding.wait(5)
        with other.atomic():
            other.set_setting("court.county", "Butte")
        thread.join()
        assert other.get_setting("court.county") == "Butte"
