"""List what the upstream files ``labkit.upstream`` names really define: -> data/upstream/*.json.

For every release the table names (``nova 34.0.0``, ``openstack-placement
16.0.0`` ...) this downloads the project's source distribution from PyPI with
pip into a temporary directory, parses each file the table names with
``ast``, and writes ``data/upstream/<project>-<version>.json``::

    {"project": "nova", "version": "34.0.0", "sdist": "nova-34.0.0.tar.gz",
     "sha256": "...", "files": {"nova/compute/manager.py": ["ComputeManager",
                                "ComputeManager.build_and_run_instance", ...]}}

A definition is a module-level function or class, or a method of a
module-level class.  Only the named files are kept, so the data stays small;
``tests/unit/test_upstream.py`` checks every row of the table against it.

    .venv/bin/python tools/upstream_index.py [--out data/upstream]
"""
import argparse
import ast
import collections
import hashlib
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labkit import upstream  # noqa: E402  (after the path is set)


def wanted():
    """``{(project, version): {path, ...}}`` from the table."""
    files = collections.defaultdict(set)
    for project, path, _ in upstream.MIRRORS.values():
        name, _, version = project.partition("@")
        files[(name, version or upstream.RELEASES[name])].add(path)
    return files


def definitions(source):
    """Module-level functions and classes, and the methods of those classes."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names.update(f"{node.name}.{item.name}" for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return sorted(names)


def download(name, version, into):
    """The sdist of ``name==version`` (pip, no dependencies, no wheels)."""
    dist = upstream.DISTRIBUTIONS.get(name, name)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--no-binary", ":all:", f"{dist}=={version}", "--dest", str(into)],
                   check=True)
    found = list(pathlib.Path(into).glob("*.tar.gz"))
    if len(found) != 1:
        raise SystemExit(f"expected one sdist for {dist}=={version}, found {found}")
    return found[0]


def index(name, version, paths):
    """The record for one release: its sdist and the definitions of ``paths``."""
    with tempfile.TemporaryDirectory() as tmp:
        sdist = download(name, version, tmp)
        files = {}
        with tarfile.open(sdist) as tar:
            members = {m.name.split("/", 1)[1]: m for m in tar.getmembers()
                       if "/" in m.name and m.isfile()}
            for path in sorted(paths):
                if path not in members:
                    raise SystemExit(f"{sdist.name} has no {path}")
                files[path] = definitions(tar.extractfile(members[path]).read())
        return {"project": name, "version": version, "sdist": sdist.name,
                "sha256": hashlib.sha256(sdist.read_bytes()).hexdigest(), "files": files}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "data" / "upstream"))
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for (name, version), paths in sorted(wanted().items()):
        record = index(name, version, paths)
        target = out / f"{name}-{version}.json"
        target.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
              f"{len(record['files'])} files")


if __name__ == "__main__":
    main()
