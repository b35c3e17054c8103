"""The install files agree: pyproject, the lock, environment.yml, Makefile, CI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return _norm(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0])


def _pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _lock() -> dict[str, tuple[str, set[str]]]:
    """package -> (pinned version, set of 'via' sources)."""
    out: dict[str, tuple[str, set[str]]] = {}
    current = None
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if m:
            current = _norm(m.group(1))
            out[current] = (m.group(2), set())
            continue
        via = re.match(r"^\s+#\s+(?:via\s+)?(.+)$", line)
        if via and current:
            out[current][1].add(via.group(1).strip())
    return out


def test_lock_pins_exactly_the_top_level_packages_of_pyproject():
    project = _pyproject()["project"]
    declared = {_requirement_name(d) for d in project["dependencies"]}
    for extra in project["optional-dependencies"].values():  # dev, uk-lemmas: all locked
        declared |= {_requirement_name(d) for d in extra}
    lock = _lock()
    top_level = {
        name
        for name, (_, via) in lock.items()
        if any("framelab (pyproject.toml)" in v for v in via)
    }
    assert declared <= set(lock), f"not in the lock: {sorted(declared - set(lock))}"
    assert top_level == declared, (
        "the lock is stale: regenerate it with `make lock`; "
        f"differs by {sorted(top_level ^ declared)}"
    )


def test_gpl_ukrainian_dictionary_is_an_optional_extra_but_locked_gh21():
    """framelab is MIT; the uk dictionary data are GPL-3.0: never a hard dependency, but the
    reproducible environment (lock -> Makefile, environment.yml) and the tests install it."""
    project = _pyproject()["project"]
    hard = {_requirement_name(d) for d in project["dependencies"]}
    assert "pymorphy3-dicts-uk" not in hard
    assert {"pymorphy3", "pymorphy3-dicts-ru"} <= hard
    extra = project["optional-dependencies"]["uk-lemmas"]
    assert [_requirement_name(d) for d in extra] == ["pymorphy3-dicts-uk"]
    assert "pymorphy3-dicts-uk" in _lock()
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--extra uk-lemmas" in makefile  # `make lock` keeps it in the lock
    assert "--extra=uk-lemmas" in (REPO / "requirements.lock").read_text(encoding="utf-8")


def test_lock_pins_cpu_torch_without_local_tag_or_machine_settings():
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^torch==2\.13\.0$", text, re.M)
    assert "+cpu" not in text
    assert not re.search(r"file://|--find-links|--index-url|--extra-index-url|-f ", text)
    assert all("==" in ln for ln in text.splitlines() if ln and not ln.startswith((" ", "#")))


def test_environment_yml_installs_the_lock_and_the_package():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip == ["-r requirements.lock", "-e ."]
    assert _pyproject()["project"]["requires-python"] == ">=3.11"


def test_makefile_targets_and_ci_entry_point():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "lab", "lint", "bench", "lock", "help"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), target
    assert "-r $(LOCK)" in makefile and "LOCK := requirements.lock" in makefile
    assert "s/^torch==" in makefile  # `make lock` rewrites pip-compile's local +cpu tag
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head
    assert "pip-compile" in readme or "make lock" in readme


def test_research_software_files_present():
    for name in ("LICENSE", "CITATION.cff", "CHANGELOG.md", "environment.yml"):
        assert (REPO / name).is_file(), name
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == _pyproject()["project"]["version"]
