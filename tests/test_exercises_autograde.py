"""nbgrader autogrades the course: the answers get every point, the learner copies none.

A throw-away nbgrader course (labkit.course.exercises) holds the notebooks that
have exercises; ``nbgrader generate_assignment`` makes their learner copies.
Three students hand in:

- ``solutions``: the committed notebooks, answers and all;
- ``blank``: the learner copies untouched (``raise NotImplementedError()``);
- ``wrong``: notebook 05 with a wrong answer.

``nbgrader autograde`` runs them (every notebook starts its own lab; two
course roots side by side, one per core), and the gradebook must agree.
"""
import pathlib
import shutil

import nbformat
import pytest

from labkit.course import exercises as ex

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tools" / "nbgrader_config.py"
WRONG = "05.00-Compute-And-The-States.ipynb"


def _with_exercises():
    return [path for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
            if ex.exercises(nbformat.read(path, as_version=4), path.name)]


def _wrong_answer(path, target):
    """``path`` with its answer replaced by a plausible but wrong one."""
    nb = nbformat.read(path, as_version=4)
    (answer, _), = ex.exercises(nb)
    answer.source = 'tasks = ["spawning", "networking"]'
    nbformat.write(nb, target)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Autograde the three students; returns the two course roots, by student."""
    notebooks = _with_exercises()
    first = ex.course_directory(tmp_path_factory.mktemp("solutions"), notebooks, CONFIG)
    release = ex.generate(first)
    second = tmp_path_factory.mktemp("blank") / "course"
    shutil.copytree(first, second)
    ex.submit(first, "solutions", notebooks)
    ex.submit(second, "blank", sorted(release.glob("*.ipynb")))
    wrong = second / "submitted" / "wrong" / ex.ASSIGNMENT
    wrong.mkdir(parents=True)
    _wrong_answer(first / "source" / ex.ASSIGNMENT / WRONG, wrong / WRONG)
    ex.autograde([first, second])
    return {"solutions": first, "blank": second, "wrong": second}


def _autograded(root, student, name):
    return nbformat.read(root / "autograded" / student / ex.ASSIGNMENT / name, as_version=4)


def _errors(cell):
    return [out for out in cell.get("outputs", []) if out.output_type == "error"]


def _outputs(cell):
    """What a cell showed, for an assertion message."""
    return [out.get("text") or f"{out.get('ename')}: {out.get('evalue')}" for out in cell.outputs]


def test_solutions_get_every_point(graded):
    grades = ex.grades(graded["solutions"], "solutions")
    assert sorted(grades) == sorted(path.stem for path in _with_exercises())
    for notebook, cells in grades.items():
        nb = _autograded(graded["solutions"], "solutions", notebook + ".ipynb")
        for answer, check in ex.exercises(nb, notebook):
            assert not _errors(answer) and not _errors(check), \
                (notebook, check.source, _outputs(answer), _outputs(check))
            assert "✓" in "".join(out.get("text", "") for out in check.outputs)
        assert cells and all(score == top > 0 for score, top in cells.values()), (notebook, cells)


def test_blank_copies_get_nothing(graded):
    grades = ex.grades(graded["blank"], "blank")
    assert sorted(grades) == sorted(path.stem for path in _with_exercises())
    for notebook, cells in grades.items():
        assert cells and all(score == 0 < top for score, top in cells.values()), (notebook, cells)


def test_a_blank_answer_fails_with_not_implemented_error(graded):
    """The placeholder fails in the answer cell, or in the check that calls it (notebook 10)."""
    for path in _with_exercises():
        nb = _autograded(graded["blank"], "blank", path.name)
        for answer, check in ex.exercises(nb, path.name):
            assert "raise NotImplementedError()" in answer.source
            assert _errors(check), f"{path.name}: the check of a blank answer did not fail"
            names = [out.ename for out in _errors(answer) + _errors(check)]
            assert "NotImplementedError" in names, (path.name, names)


def test_a_wrong_answer_fails_its_check_with_a_hint(graded):
    grades = ex.grades(graded["wrong"], "wrong")
    assert grades[WRONG.removesuffix(".ipynb")] == {"ex05-task-states-check": (0, 1.0)}
    nb = _autograded(graded["wrong"], "wrong", WRONG)
    (answer, check), = ex.exercises(nb, WRONG)
    error, = _errors(check)
    assert error.ename == "CheckFailed"
    assert "✗ task states: got spawning → networking" in error.traceback[0]
    assert error.traceback[1].startswith("  hint: ")
    assert len(error.traceback) == 2, "a failed check shows ✗ and a hint, not a traceback"
