"""The preview's rebuild cycle (ntc_site/preview/rebuilds.py) on tornado's real IO loop, with a build that
only sleeps and reports which version of the content it saw: a burst of saves is shown once, with its last
version; a change during a build or during the quiet period is never lost; a build slower than the quiet
period is shown as soon as it ends; a stream of changes that never pauses is still shown now and then."""
from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path

from tornado import ioloop

from ntc_site.pipeline.run import Settings
from ntc_site.preview.overlay import Snapshot
from ntc_site.preview.rebuilds import LONGEST_S, QUIET_S, Built, Preview
from ntc_site.stored import content


class FakePreview(Preview):
    """A preview whose build takes `build_s` and serves one page saying which version it was built from."""

    def __init__(self, build_s: float):
        super().__init__(Settings(content_dir=Path("content")), reload=self._reloaded)
        self.build_s = build_s
        self.version = 0  # of the content on disk
        self.reloads: list[str] = []  # what the tabs showed after each reload
        self.applied: list[str] = []  # every version served, in order
        self.held_ever = False

    def build(self, remake_search: bool = False) -> Built:
        seen = self.version
        time.sleep(self.build_s)
        return Built(Snapshot({"it/index.html": f"version {seen}".encode()}, (), {}, True), self.build_s)

    def save(self) -> None:
        """The editor saves; the watcher reports it."""
        self.version += 1
        self.changed(["content/it/index.md"])

    def shown(self) -> str:
        return content(self.snapshot.files["it/index.html"]).decode()

    def apply(self, built: Built) -> None:
        super().apply(built)
        self.applied.append(self.shown())

    def _reloaded(self) -> None:
        self.reloads.append(self.shown())

    def _release(self, built: Built) -> None:
        self.held_ever = True
        super()._release(built)


def run(scenario) -> None:  # noqa: ANN001 (an async function)
    ioloop.IOLoop.current().run_sync(scenario, timeout=30)


async def until(condition, seconds: float = 10) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "never happened"
        await asyncio.sleep(0.005)


async def settled(preview: FakePreview) -> None:
    """No build running, none held, nothing pending, for longer than the quiet period."""
    for _ in range(2):
        await until(lambda: not preview.building and preview.held is None and not preview.pending)
        await asyncio.sleep(QUIET_S * 3)


def test_a_burst_of_saves_is_shown_once_with_its_last_version() -> None:
    preview = FakePreview(build_s=0.05)

    async def scenario() -> None:
        for _ in range(5):
            preview.save()
            await asyncio.sleep(0.02)
        await settled(preview)

    run(scenario)
    assert preview.applied == preview.reloads == ["version 5"]


def test_a_change_during_a_build_is_not_lost() -> None:
    preview = FakePreview(build_s=0.2)

    async def scenario() -> None:
        preview.save()
        await until(lambda: preview.building)
        await asyncio.sleep(0.05)
        preview.save()  # the running build read version 1
        await settled(preview)

    run(scenario)
    assert preview.applied == preview.reloads == ["version 2"]  # what the first build made was never served


def test_a_change_in_the_quiet_period_drops_the_held_build_and_is_shown() -> None:
    preview = FakePreview(build_s=0.01)

    async def scenario() -> None:
        preview.save()
        await until(lambda: preview.held is not None)  # built, waiting for the quiet period to end
        preview.save()
        await settled(preview)

    run(scenario)
    assert preview.applied == preview.reloads == ["version 2"]


def test_a_build_slower_than_the_quiet_period_is_shown_as_soon_as_it_ends() -> None:
    preview = FakePreview(build_s=QUIET_S * 1.5)

    async def scenario() -> None:
        preview.save()
        await settled(preview)

    run(scenario)
    assert preview.applied == preview.reloads == ["version 1"]
    assert not preview.held_ever  # the quiet period had passed during the build: no extra wait


def test_changes_that_never_pause_are_still_shown_now_and_then() -> None:
    preview = FakePreview(build_s=0.03)
    during: list[str] = []

    async def scenario() -> None:
        end = time.monotonic() + LONGEST_S * 2.5
        while time.monotonic() < end:
            preview.save()
            await asyncio.sleep(QUIET_S / 3)
        during.extend(preview.reloads)
        await settled(preview)

    run(scenario)
    assert len(during) >= 1
    assert preview.reloads[-1] == f"version {preview.version}"


def test_once_idle_the_preview_collects_and_freezes_what_is_left() -> None:
    preview = FakePreview(build_s=0.01)
    gc.unfreeze()

    async def scenario() -> None:
        preview.save()
        await settled(preview)
        await until(lambda: preview.saved and not preview.building)

    try:
        run(scenario)
        assert gc.get_freeze_count() > 0  # the next build's collections skip what the preview holds
    finally:
        gc.unfreeze()
