"""Learner copies of the course notebooks: solutions out, outputs cleared.

A committed notebook carries working solutions between two marker lines::

    ### BEGIN SOLUTION
    tenant_id = body["access"]["token"]["tenant"]["id"]
    ### END SOLUTION

so CI runs it top to bottom.  ``strip_notebook`` replaces each such block by
``# YOUR CODE HERE`` and ``raise NotImplementedError()`` (at the block's
indentation) and clears every output, as nbgrader's "clear solutions" does.
"""
import copy
import pathlib
import re

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_BLOCK = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*(\n|$)",
                    re.M | re.S)


def strip_source(source):
    """Replace every solution block of one cell's source; returns (source, count)."""
    def stub(match):
        indent = match.group(1)
        return f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError(){match.group(2)}"
    new, count = _BLOCK.subn(stub, source)
    if BEGIN in new or END in new:
        raise ValueError(f"unbalanced solution markers in cell:\n{source}")
    return new, count


def strip_notebook(nb):
    """A learner copy of a notebook node (the input is not changed)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source, _ = strip_source(cell.source)
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    return nb


def make_exercises(src="notebooks", out="exercises"):
    """Write ``out/<name>.ipynb`` for every ``src/*.ipynb``; returns the written paths."""
    src, out = pathlib.Path(src), pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(src.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        target = out / path.name
        nbformat.write(strip_notebook(nb), target)
        written.append(target)
    names = {p.name for p in written}
    for stale in out.glob("*.ipynb"):
        if stale.name not in names:
            stale.unlink()
    return written
