"""Killed and interrupted builds: the previous output stays whole; the next build cleans up.

A larger synthetic site (generated here, ~300 pages, marked as synthetic) is built once; then a changed
version is built in a subprocess that kills itself with SIGKILL at a named point (`NTC_KILL_AT`, see
ntc_site/faults.py): while the cache is written, while the staging folder is filled, before, during and
after the swap, with the atomic exchange and with the two-rename fallback. After each kill `--out` must be
byte-for-byte the previous build (or, once the swap has happened, the complete new one), and the next
build must succeed and remove the leftovers. Ctrl-C (SIGINT) must exit 130 with a short message.
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
    return {"root": root, "new_content": new_content, "old_out": old_out, "new_out": new_out, "old": old,
            "new": new}


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


def killed_at(point: str, content: Path, out: Path, **env: str) -> tuple[int, str]:
    """Run the build with NTC_KILL_AT=point (and a cold cache) until it kills itself there."""
    cold = out.parent / f"cache-{out.name}-{point}"
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]),
                       NTC_CACHE_DIR=str(cold), NTC_KILL_AT=point, **env)
    proc = subprocess.run([sys.executable, "-c", LAUNCH, "build", "--content", str(content), "--out", str(out)],
                          capture_output=True, env=environment, timeout=300)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def with_spare(sites: dict, out: Path) -> None:
    """Give `out` the spare tree a previous swap leaves beside it, so the build edits it as its staging."""
    shutil.copytree(sites["new_out"], out.parent / f".{out.name}.spare")


BEFORE_SWAP = ["cache-writing", "staging-taken", "staging-half", "staging-written", "before-swap"]


@pytest.mark.parametrize("spare", [False, True], ids=["fresh-staging", "reused-spare"])
@pytest.mark.parametrize("point", BEFORE_SWAP + ["after-swap"])
def test_a_kill_at_each_point_leaves_one_whole_output_and_the_next_build_succeeds(point: str, spare: bool,
                                                                                  sites: dict):
    out = fresh_out(sites, f"_site-{point}-{spare}")
    if spare:
        with_spare(sites, out)
    code, err = killed_at(point, sites["new_content"], out)
    assert code == -signal.SIGKILL, f"the build never reached {point}: {err}"
    assert tree(out) == (sites["old"] if point in BEFORE_SWAP else sites["new"])
    finish_and_check_cleanup(sites, out)


@pytest.mark.parametrize("point", ["staging-written", "before-swap", "after-swap"])
def test_the_two_rename_fallback_keeps_one_whole_output(point: str, sites: dict):
    out = fresh_out(sites, f"_site-fallback-{point}")
    code, _ = killed_at(point, sites["new_content"], out, NTC_NO_EXCHANGE="1")
    assert code == -signal.SIGKILL
    assert tree(out) == (sites["old"] if point != "after-swap" else sites["new"])
    finish_and_check_cleanup(sites, out)


def test_a_kill_between_the_fallback_renames_is_repaired_before_anything_else(sites: dict, tmp_path: Path):
    out = fresh_out(sites, "_site-between-renames")
    code, _ = killed_at("between-renames", sites["new_content"], out, NTC_NO_EXCHANGE="1")
    assert code == -signal.SIGKILL
    assert not out.exists()
    [moved] = sorted(out.parent.glob(f".{out.name}.old-*"))
    assert tree(moved) == sites["old"]  # the previous site waits whole beside --out
    # The next build fails on bad content, yet it has put the previous site back first.
    broken = tmp_path / "broken"
    shutil.copytree(sites["new_content"], broken)
    (broken / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert run("build", "--content", broken, "--out", out) == 1
    assert tree(out) == sites["old"] and not list(out.parent.glob(f".{out.name}.old-*"))
    finish_and_check_cleanup(sites, out)


def test_every_fault_point_is_tested():
    from ntc_site import faults
    tested = set(BEFORE_SWAP) | {"after-swap", "between-renames"}
    assert tested == set(faults.POINTS)


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
