"""pyproject.toml, environment.yml and binder/ name the same runtime dependencies
(binder/ pins them, with all they pull in, to the tested versions)."""
import pathlib
import re
import tomllib

from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _name(spec):
    return re.split(r"[<>=!~ ;\[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _specs(spec_list):
    return {_name(s): s.replace(" ", "") for s in spec_list}


def _pyproject():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = _specs(data["project"]["dependencies"])
    lab = _specs(data["project"]["optional-dependencies"]["lab"])
    return runtime, lab


def _environment_yml():
    deps, section = [], None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+.*)$", line)
        if section == "dependencies" and m and not m.group(1).startswith(("python", "pip")):
            deps.append(m.group(1))
    return _specs(deps)


def _binder():
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    return _specs([l for l in lines if l.strip() and not l.startswith("#")])


def test_environment_yml_matches_pyproject():
    runtime, lab = _pyproject()
    assert _environment_yml() == {**runtime, **lab}


def test_binder_pins_every_pyproject_dependency_within_its_range():
    """binder/ pins exact versions (make binder-pins): each of pyproject's dependencies
    is there, at a version pyproject allows; nothing floats."""
    runtime, lab = _pyproject()
    binder = _binder()
    assert set({**runtime, **lab}) <= set(binder)
    assert all(re.fullmatch(r"[a-z0-9.\-]+==[^=<>!~,;\s]+", spec) for spec in binder.values())
    for name, spec in {**runtime, **lab}.items():
        version = binder[name].split("==")[1]
        assert Requirement(spec).specifier.contains(version), (spec, version)


def test_binder_installs_labkit_and_python_version():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "pip install" in (ROOT / "binder" / "postBuild").read_text()


def test_requires_python_311():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["requires-python"] == ">=3.11"
