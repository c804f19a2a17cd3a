"""A saved notebook reads without a kernel: every widget output carries a static form too.

GitHub, nbviewer and a static site cannot draw a widget whose state was not
saved; they show the next representation of the output instead.  So each
output holding ``application/vnd.jupyter.widget-view+json`` must also hold
``text/html`` or ``image/png`` (labkit's widgets add them in
``_repr_mimebundle_``; see ``labkit/viz/static.py``).  A notebook saved before
that fails here until it is executed again.
"""
import pathlib

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
STATIC = ("text/html", "image/png")


def widget_outputs_without_static_form(path):
    """``(cell id, text/plain)`` of every widget output that has no HTML or PNG beside it."""
    missing = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET in data and not any(data.get(m) for m in STATIC):
                missing.append((cell.get("id"), str(data.get("text/plain", ""))[:60]))
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_widget_output_has_a_static_form(path):
    missing = widget_outputs_without_static_form(path)
    assert not missing, (f"{path.name}: widget outputs with no text/html or image/png "
                         f"(execute the notebook again): {missing}")


def test_the_check_sees_a_bare_widget_output(tmp_path):
    nb = nbformat.v4.new_notebook()
    view = {"version_major": 2, "version_minor": 0, "model_id": "0" * 32}
    nb.cells = [nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
                    "display_data", data={WIDGET: view, "text/plain": "IntProgress(value=0)"})]),
                nbformat.v4.new_code_cell("p", outputs=[nbformat.v4.new_output(
                    "execute_result", execution_count=1,
                    data={WIDGET: view, "text/plain": "Player()", "text/html": "<table></table>"})])]
    nbformat.write(nb, tmp_path / "t.ipynb")
    assert widget_outputs_without_static_form(tmp_path / "t.ipynb") == [
        (nb.cells[0].id, "IntProgress(value=0)")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_saved_widget_state(path):
    """A saved page shows each widget's static form: saved widget state would make a viewer
    draw the widget from it instead (and stale state draws "model not found")."""
    assert "widgets" not in nbformat.read(path, as_version=4).metadata, \
        f"{path.name} carries metadata.widgets: execute with store_widget_state=False"
