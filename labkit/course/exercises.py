"""Learner copies and autograding of the course notebooks, by nbgrader.

The notebooks in ``notebooks/`` are nbgrader *source* notebooks.  An exercise
is two code cells, one right after the other:

1. the **answer** cell, nbgrader metadata ``solution: true``, ``grade_id``
   ``exNN-<name>``; the working answer sits between ``### BEGIN SOLUTION``
   and ``### END SOLUTION``, so a run of the notebook checks it;
2. the **check** cell, ``grade: true, locked: true, points: 1``, ``grade_id``
   ``exNN-<name>-check``; it calls a ``course.check_*`` that raises
   CheckFailed when the answer is wrong.

``exercises`` enforces that shape.  ``make_exercises`` builds a throw-away
nbgrader course directory (``source/labkit/`` holds the notebooks, the course
root holds tools/nbgrader_config.py) and runs ``nbgrader generate_assignment``:
its ClearSolutions turns each answer into ``# YOUR CODE HERE`` +
``raise NotImplementedError()``, ClearOutput empties the outputs, LockCells
locks the checks, ComputeChecksums records them.  The release is the learner
copies in ``exercises/``.  ``autograde`` runs ``nbgrader autograde`` on
submitted notebooks and ``grades`` reads the gradebook.

Needs nbgrader (the ``test`` extra); the notebooks never import this module.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import nbformat

ASSIGNMENT = "labkit"
BEGIN = "### BEGIN SOLUTION"


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def exercises(nb, name="notebook"):
    """The (answer, check) cell pairs of a notebook node, in order.

    :raises ValueError: where a cell breaks the two-cell convention above.
    """
    pairs, ids, cells = [], set(), nb.cells

    def fail(index, problem):
        raise ValueError(f"{name}, cell {index}: {problem}\n{cells[index].source}")

    for i, cell in enumerate(cells):
        meta = _nbgrader(cell)
        if meta.get("grade_id") and meta["grade_id"] in ids:
            fail(i, f"grade_id {meta['grade_id']!r} is used twice")
        ids.add(meta.get("grade_id"))
        if BEGIN in cell.source and not meta.get("solution"):
            fail(i, "a solution region outside an nbgrader solution cell")
        if meta.get("grade") and (i == 0 or not _nbgrader(cells[i - 1]).get("solution")):
            fail(i, "a check cell must follow an answer cell")
        if not meta.get("solution"):
            continue
        if cell.cell_type != "code" or meta.get("grade") or not meta.get("grade_id"):
            fail(i, "an answer cell is a code cell with a grade_id and without grade")
        check = cells[i + 1] if i + 1 < len(cells) else None
        want = {"grade": True, "locked": True, "solution": False,
                "grade_id": f"{meta['grade_id']}-check"}
        if check is None or any(_nbgrader(check).get(k) != v for k, v in want.items()):
            fail(i, f"the next cell must be a check cell with nbgrader metadata {want}")
        if not _nbgrader(check).get("points") or "course.check" not in check.source:
            fail(i + 1, "a check cell has points and calls course.check_*")
        pairs.append((cell, check))
    return pairs


def course_directory(root, notebooks, config):
    """Make ``root`` an nbgrader course: ``source/labkit/`` and ``nbgrader_config.py``.

    Every notebook is checked with ``exercises`` first.  Returns ``root``.
    """
    root = pathlib.Path(root)
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    for path in map(pathlib.Path, notebooks):
        exercises(nbformat.read(path, as_version=4), path.name)
        shutil.copyfile(path, source / path.name)
    shutil.copyfile(config, root / "nbgrader_config.py")
    return root


def submit(root, student, notebooks):
    """Put ``notebooks`` where nbgrader collects ``student``'s submission."""
    folder = pathlib.Path(root) / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    for path in map(pathlib.Path, notebooks):
        shutil.copyfile(path, folder / path.name)


def _start(root, *args):
    """Start ``nbgrader <args>`` in the course ``root``; its log goes to root/<command>.log."""
    env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(sys.executable),
                                                os.environ.get("PATH", "")]))
    log = pathlib.Path(root) / f"{args[0]}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    proc.log = log
    return proc


def _wait(procs):
    # nbgrader logs a broken nbgrader_config.py and goes on without it: that fails here
    failed = [proc for proc in procs if proc.wait() != 0
              or "Exception while loading config file" in proc.log.read_text()]
    if failed:
        raise RuntimeError("\n".join(f"{' '.join(proc.args[1:])} failed:\n"
                                     f"{proc.log.read_text()[-4000:]}" for proc in failed))


def generate(root):
    """``nbgrader generate_assignment``: the learner copies, in root/release/labkit/."""
    _wait([_start(root, "generate_assignment", ASSIGNMENT, "--force")])
    return pathlib.Path(root) / "release" / ASSIGNMENT


def autograde(roots):
    """``nbgrader autograde`` of every submission in each course root, the roots side by side."""
    _wait([_start(root, "autograde", ASSIGNMENT, "--force") for root in roots])


def grades(root, student):
    """``{notebook: {grade_id: (score, max_score)}}`` of an autograded submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{pathlib.Path(root) / 'gradebook.db'}", ASSIGNMENT) as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        return {nb.name: {grade.name: (grade.score, grade.max_score) for grade in nb.grades}
                for nb in submission.notebooks}


def make_exercises(src, out, config):
    """Write ``out/<name>.ipynb``, the learner copy of every ``src/*.ipynb``; returns their paths."""
    src, out = pathlib.Path(src), pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="labkit-nbgrader-") as tmp:
        release = generate(course_directory(tmp, sorted(src.glob("*.ipynb")), config))
        written = [pathlib.Path(shutil.copyfile(path, out / path.name))
                   for path in sorted(release.glob("*.ipynb"))]
    names = {p.name for p in written}
    for stale in out.glob("*.ipynb"):
        if stale.name not in names:
            stale.unlink()
    return written
