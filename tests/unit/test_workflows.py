"""The GitHub workflows are valid YAML and do what the deploy needs: pages.yml builds with the Pages base
URL and deploys through the Pages actions with the right permissions; ci.yml runs `make test`."""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("jobs"), dict), f"{name} has no jobs"
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in steps(workflow) if str(s.get("uses", "")).split("@")[0] == action]


def runs(workflow: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in steps(workflow))


def index_of(workflow: dict[str, Any], predicate) -> int:
    return next(i for i, step in enumerate(steps(workflow)) if predicate(step))


@pytest.fixture(scope="module")
def pages() -> dict[str, Any]:
    return load("pages.yml")


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load("ci.yml")


def test_pages_runs_on_push_to_main(pages):
    assert pages["on"]["push"]["branches"] == ["main"]


def test_pages_has_the_permissions_deploy_needs(pages):
    assert pages["permissions"]["pages"] == "write"
    assert pages["permissions"]["id-token"] == "write"
    assert pages["permissions"].get("contents") == "read"


def test_pages_builds_with_the_pages_base_url_then_uploads_and_deploys(pages):
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages",
                   "actions/upload-pages-artifact", "actions/deploy-pages"):
        found = uses(pages, action)
        assert len(found) == 1, f"pages.yml should use {action} once"
        assert "@v" in found[0]["uses"], f"{action} should be pinned to a version"
    configure = uses(pages, "actions/configure-pages")[0]
    build = [s for s in steps(pages) if "make site" in str(s.get("run", ""))]
    assert len(build) == 1, "pages.yml should build with `make site`"
    expected = f"BASE_URL=\"${{{{ steps.{configure['id']}.outputs.base_url }}}}/\""
    assert re.search(rf"\bmake site\b.*(?<![\w]){re.escape(expected)}(\s|$)", build[0]["run"]), build[0]["run"]
    assert uses(pages, "actions/upload-pages-artifact")[0]["with"]["path"] == "_site"
    order = [index_of(pages, lambda s: str(s.get("uses", "")).startswith("actions/checkout")),
             index_of(pages, lambda s: str(s.get("uses", "")).startswith("actions/setup-python")),
             index_of(pages, lambda s: s.get("id") == configure["id"]),
             index_of(pages, lambda s: "make site" in str(s.get("run", ""))),
             index_of(pages, lambda s: str(s.get("uses", "")).startswith("actions/upload-pages-artifact")),
             index_of(pages, lambda s: str(s.get("uses", "")).startswith("actions/deploy-pages"))]
    assert order == sorted(order), "steps out of order"


def test_pages_deploys_after_the_build_into_the_pages_environment(pages):
    deploy = next(job for job in pages["jobs"].values()
                  if any(str(s.get("uses", "")).startswith("actions/deploy-pages") for s in job["steps"]))
    build = next(name for name, job in pages["jobs"].items() if job is not deploy)
    assert deploy["needs"] in (build, [build])
    assert deploy["environment"]["name"] == "github-pages"


def test_ci_runs_make_test_on_push_and_pull_request(ci):
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    assert len(uses(ci, "actions/checkout")) == 1
    assert any(line.strip() == "make test" for line in runs(ci).splitlines())


def test_ci_installs_debian_chromium_and_never_downloads_a_browser(ci):
    commands = runs(ci)
    assert "apt-get install" in commands and "chromium" in commands
    assert "playwright install" not in commands


def _drop_step(workflow: dict[str, Any], action: str) -> None:
    for job in workflow["jobs"].values():
        job["steps"] = [s for s in job.get("steps", []) if not str(s.get("uses", "")).startswith(action)]


def _edit_runs(workflow: dict[str, Any], old: str, new: str) -> None:
    for step in steps(workflow):
        if "run" in step:
            step["run"] = str(step["run"]).replace(old, new)


def _swap_build_and_upload(workflow: dict[str, Any]) -> None:
    for job in workflow["jobs"].values():
        items = job.get("steps", [])
        build = next((i for i, s in enumerate(items) if "make site" in str(s.get("run", ""))), None)
        upload = next((i for i, s in enumerate(items) if str(s.get("uses", "")).startswith(
            "actions/upload-pages-artifact")), None)
        if build is not None and upload is not None:
            items[build], items[upload] = items[upload], items[build]


BREAKS = [
    ("pages.yml", lambda w: w["on"]["push"].update(branches=["dev"]), test_pages_runs_on_push_to_main),
    ("pages.yml", lambda w: w["permissions"].update(pages="read"), test_pages_has_the_permissions_deploy_needs),
    ("pages.yml", lambda w: _drop_step(w, "actions/deploy-pages"),
     test_pages_builds_with_the_pages_base_url_then_uploads_and_deploys),
    ("pages.yml", lambda w: _edit_runs(w, "BASE_URL=", "NOT_THE_BASE_URL="),
     test_pages_builds_with_the_pages_base_url_then_uploads_and_deploys),
    ("pages.yml", _swap_build_and_upload, test_pages_builds_with_the_pages_base_url_then_uploads_and_deploys),
    ("pages.yml", lambda w: [j.update(environment={"name": "preview"}) for j in w["jobs"].values()
                             if "environment" in j], test_pages_deploys_after_the_build_into_the_pages_environment),
    ("ci.yml", lambda w: w["on"].pop("pull_request"), test_ci_runs_make_test_on_push_and_pull_request),
    ("ci.yml", lambda w: _edit_runs(w, "make test", "make site"), test_ci_runs_make_test_on_push_and_pull_request),
    ("ci.yml", lambda w: _edit_runs(w, "apt-get install", "python -m playwright install chromium && apt-get install"),
     test_ci_installs_debian_chromium_and_never_downloads_a_browser),
]


@pytest.mark.parametrize("name, break_it, check", BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)])
def test_each_check_passes_on_the_real_workflow_and_fails_on_a_broken_copy(name: str, break_it, check):
    real = load(name)
    check(copy.deepcopy(real))
    broken = copy.deepcopy(real)
    break_it(broken)
    assert broken != real, "the break changed nothing: the workflow no longer has what it removes"
    with pytest.raises((AssertionError, StopIteration, KeyError)):
        check(broken)
