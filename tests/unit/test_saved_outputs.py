"""A saved notebook reads without a kernel: each widget output is saved as its static form.

GitHub, nbviewer and a static site cannot draw a widget whose state was not
saved, and JupyterLab draws "model not found" for a widget view whose model is
gone.  labkit's widgets add a static form (``text/html`` or ``image/png``, see
``labkit/viz/static.py``) in ``_repr_mimebundle_``, and
``tools/strip_widget_views.py`` drops the widget-view reference from the saved
outputs, refusing any output with no static form to show instead.
"""
import pathlib

import nbformat
import pytest

import repo_tools

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"



@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_outputs_hold_no_widget_view(path):
    left = [cell.get("id") for cell in nbformat.read(path, as_version=4).cells
            for output in cell.get("outputs", []) if WIDGET in output.get("data", {})]
    assert not left, (f"{path.name}: widget views saved in cells {left} (JupyterLab shows "
                      f"'model not found' there): run tools/strip_widget_views.py on it")


def test_the_tool_keeps_the_static_form_and_refuses_a_bare_widget():
    view = {"version_major": 2, "version_minor": 0, "model_id": "0" * 32}
    player = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("p", outputs=[
        nbformat.v4.new_output("execute_result", execution_count=1, data={
            WIDGET: view, "text/plain": "Player()", "text/html": "<table></table>"})])])
    tool = repo_tools.load("strip_widget_views")
    assert tool.strip(player) == 1
    assert player.cells[0].outputs[0].data == {"text/plain": "Player()",
                                               "text/html": "<table></table>"}
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w", outputs=[
        nbformat.v4.new_output("display_data", data={WIDGET: view,
                                                     "text/plain": "IntProgress(value=0)"})])])
    with pytest.raises(ValueError, match="IntProgress"):
        tool.strip(bare)
    assert WIDGET in bare.cells[0].outputs[0].data


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_saved_widget_state(path):
    """A saved page shows each widget's static form: saved widget state would make a viewer
    draw the widget from it instead (and stale state draws "model not found")."""
    assert "widgets" not in nbformat.read(path, as_version=4).metadata, \
        f"{path.name} carries metadata.widgets: execute with store_widget_state=False"
