"""LiveLibrary: when an ingest's save is noticed, what replaces the snapshot, and what survives a
failed or premature rebuild (fakes stand in for the store and snapshots)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from assistant.library import LiveLibrary, index_stamp


class Store:
    def __init__(self, name: str):
        self.name, self.closed = name, False

    def close(self) -> None:
        self.closed = True


def save_index(folder: Path, content: str) -> None:
    """As LexicalIndex.save does: a new file renamed into place (a new inode)."""
    tmp = folder / "index.json.tmp"
    tmp.write_text(content)
    os.replace(tmp, folder / "index.json")


def snapshot(name: str):
    return SimpleNamespace(store=Store(name), docs={name: None})


def test_a_new_index_is_picked_up_once_and_the_handle_before_is_closed_at_the_next_reload(tmp_path: Path):
    save_index(tmp_path, "v1")
    made = []

    def rebuild(old):
        made.append(snapshot(f"s{len(made) + 2}"))
        return made[-1]

    first = snapshot("s1")
    live = LiveLibrary(first, tmp_path, rebuild, check_every_s=0)
    assert live.current() is first and live.reload() is False and made == []  # nothing saved since
    save_index(tmp_path, "v2")
    assert (
        live.reload() is True and live.current() is made[0] and not first.store.closed
    )  # in-flight requests may hold it
    assert live.reload() is False and len(made) == 1  # the same save is not rebuilt twice
    save_index(tmp_path, "v3")
    assert live.reload() is True and live.current() is made[1]
    assert not first.store.closed and not made[0].store.closed  # closed only after the grace period


def test_the_store_handle_before_a_swap_is_closed_after_a_grace_period(tmp_path: Path):
    import time

    closes = []

    class Counted(Store):
        def close(self) -> None:
            closes.append(self.name)

    save_index(tmp_path, "v1")
    first = SimpleNamespace(store=Counted("s1"), docs={})
    live = LiveLibrary(
        first, tmp_path, lambda old: SimpleNamespace(store=Counted("s2"), docs={}), check_every_s=0, grace_s=0.2
    )
    save_index(tmp_path, "v2")
    assert live.reload() is True and closes == []  # requests in flight may still use s1
    time.sleep(1)
    assert closes == ["s1"]
    save_index(tmp_path, "v3")
    assert live.reload() is True and closes == ["s1"]
    time.sleep(1)
    assert closes == ["s1", "s2"]


def test_a_save_during_startup_is_not_taken_as_seen(tmp_path: Path):
    save_index(tmp_path, "v1")
    before_load = index_stamp(tmp_path)
    save_index(tmp_path, "v2")  # an ingest saves while the server is still starting
    new = snapshot("new")
    live = LiveLibrary(snapshot("s1"), tmp_path, lambda old: new, stamp=before_load, check_every_s=0)
    assert live.reload() is True and live.current() is new


def test_an_ingest_still_under_way_or_a_failed_rebuild_keeps_the_current_snapshot(tmp_path: Path):
    save_index(tmp_path, "v1")
    outcomes = iter([None, RuntimeError("store unreachable"), "ok"])

    def rebuild(old):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return snapshot("new") if outcome else None

    first = snapshot("s1")
    live = LiveLibrary(first, tmp_path, rebuild, check_every_s=0)
    for content in ("v2", "v3"):  # index not matching the store yet; then the store failing
        save_index(tmp_path, content)
        assert live.reload() is False and live.current() is first
    save_index(tmp_path, "v4")
    assert live.reload() is True and live.current().docs == {"new": None}


def test_current_starts_the_rebuild_in_the_background(tmp_path: Path):
    import threading

    save_index(tmp_path, "v1")
    started, release = threading.Event(), threading.Event()
    new = snapshot("new")

    def rebuild(old):
        started.set()
        release.wait(10)  # a slow rebuild: requests meanwhile are answered from the current snapshot
        return new

    first = snapshot("s1")
    live = LiveLibrary(first, tmp_path, rebuild, check_every_s=0)
    save_index(tmp_path, "v2")
    assert live.current() is first
    assert started.wait(10) and live.current() is first
    release.set()
    for _ in range(100):
        if live.current() is new:
            break
        threading.Event().wait(0.05)
    assert live.current() is new
