"""Killed and interrupted builds (issue 9): the previous output stays whole; the next build cleans up.

A larger synthetic site (generated here, ~300 pages, marked as synthetic) is built once; then a changed
version is built in a subprocess that is SIGKILLed at several moments, including the swap itself. After
each kill `--out` must be byte-for-byte the previous build (or, once the swap has happened, the complete
new one), and the next build must succeed and remove the leftovers. Ctrl-C (SIGINT) must exit 130 with a
short message and no traceback.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import FIXTURE, run, tree

import ntc_site

PAGES = 150  # per language: 300 pages in all
PACKAGE_ROOT = Path(ntc_site.__file__).resolve().parents[1]
# Runs the real CLI, first saying 'ready' so the test knows imports are done and the build has begun.
LAUNCH = "import sys; from ntc_site.cli import main; print('ready', flush=True); sys.exit(main(sys.argv[1:]))"


def make_site(root: Path, version: str) -> Path:
    """The fixture site plus PAGES synthetic page pairs; `version` changes every page's text."""
    content = root / "content"
    shutil.copytree(FIXTURE / "content", content)
    for lang, folder in (("it", "sintetico"), ("en", "synthetic")):
        (content / lang / folder).mkdir()
        for n in range(PAGES):
            rows = "\n".join(f"| riga {r} | {n * r} |" for r in range(4))
            (content / lang / folder / f"p{n:03}.md").write_text(
                f"---\ntitle: Synthetic page {n} ({lang}, {version})\ntranslation_key: synthetic-{n}\n"
                f"description: Synthetic test page, not real content.\n---\n"
                f"## Section {version}\n\nSynthetic text {version}.\n" +
                f"\n\n| a | b |\n|---|---|\n{rows}\n\n[next](p{(n + 1) % PAGES:03}.md)\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Old and new content, the old build (the output to protect) and the new build (the expected result)."""
    root = tmp_path_factory.mktemp("killed")
    old_content, new_content = make_site(root / "old", "v1"), make_site(root / "new", "v2")
    old_out, new_out = root / "old-build", root / "new-build"
    assert run("build", "--content", old_content, "--out", old_out) == 0
    assert run("build", "--content", new_content, "--out", new_out) == 0
    old, new = tree(old_out), tree(new_out)
    assert len(old) > 300 and old != new
    return {"root": root, "new_content": new_content, "old_out": old_out, "old": old, "new": new}


def start(content: Path, out: Path) -> subprocess.Popen:
    """The build as its own process group, with an empty build cache so it does all the work."""
    cold = out.parent / f"cache-{out.name}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]),
               NTC_CACHE_DIR=str(cold))
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "build", "--content", str(content), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    return proc


def stop(proc: subprocess.Popen, sig: int) -> tuple[int, str]:
    try:
        os.killpg(proc.pid, sig)  # the whole group, as a terminal or CI runner would
    except ProcessLookupError:
        pass
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err.decode("utf-8", "replace")


def fresh_out(sites: dict, name: str) -> Path:
    out = sites["root"] / name
    shutil.copytree(sites["old_out"], out)
    return out


def leftovers(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.tmp-*")) + sorted(out.parent.glob(f".{out.name}.old-*"))


def finish_and_check_cleanup(sites: dict, out: Path) -> None:
    assert run("build", "--content", sites["new_content"], "--out", out) == 0
    assert tree(out) == sites["new"]
    assert leftovers(out) == []


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5, 1.0])
def test_sigkill_leaves_the_previous_output_whole(delay: float, sites: dict):
    out = fresh_out(sites, f"_site-{delay}")
    proc = start(sites["new_content"], out)
    time.sleep(delay)
    code, _ = stop(proc, signal.SIGKILL)
    after = tree(out)
    if code == 0:  # the build won the race: the new output must then be complete
        assert after == sites["new"]
    else:
        assert code == -signal.SIGKILL
        # Killed before the atomic exchange: the old site, untouched. Killed in the instant between the
        # exchange and the exit: the new site, whole. Never anything in between.
        assert after in (sites["old"], sites["new"]), f"a build killed after {delay}s left a mixed output"
    finish_and_check_cleanup(sites, out)


def test_sigkill_during_the_swap_leaves_one_whole_output_and_the_next_build_cleans_up(sites: dict):
    """Kill as soon as the marker appears in the temporary folder: the last step before the swap."""
    for attempt in range(3):
        out = fresh_out(sites, f"_site-swap-{attempt}")
        proc = start(sites["new_content"], out)
        marker = out.parent / f".{out.name}.tmp-{proc.pid}" / ".ntc-site-build"
        while proc.poll() is None and not marker.exists():
            time.sleep(0.0002)
        code, _ = stop(proc, signal.SIGKILL)
        assert tree(out) in (sites["old"], sites["new"]), "a build killed during the swap left a mixed output"
        if code == -signal.SIGKILL:
            assert leftovers(out), "a build killed before its clean-up left nothing behind"
        finish_and_check_cleanup(sites, out)
        if code == -signal.SIGKILL:
            return
    pytest.fail("the kill never landed during the swap")


@pytest.mark.parametrize("moment", ["building", "writing"])
def test_ctrl_c_exits_130_with_a_short_message(moment: str, sites: dict):
    out = fresh_out(sites, f"_site-int-{moment}")
    proc = start(sites["new_content"], out)
    if moment == "building":
        time.sleep(0.1)
    else:
        tmp = out.parent / f".{out.name}.tmp-{proc.pid}"
        while proc.poll() is None and not tmp.exists():
            time.sleep(0.0005)
    code, err = stop(proc, signal.SIGINT)
    assert code == 130, err
    last = err.strip().splitlines()[-1]  # any progress lines come before it
    assert "Traceback" not in err and "Error" not in err
    assert "interrupted" in last and len(last) < 100 and err.count("interrupted") == 1
    assert tree(out) == sites["old"]
    assert leftovers(out) == []  # an interrupted build removes its own temporary folder
