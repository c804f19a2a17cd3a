"""Keep each widget's static form in a saved notebook, and drop the live view's reference.

A widget's output holds ``application/vnd.jupyter.widget-view+json`` (the id of a
model that lives only in the kernel that drew it) beside the static form labkit's
widgets add (``text/html`` or ``image/png``, see ``labkit/viz/static.py``).  GitHub
and nbviewer skip the reference and show the static form; JupyterLab does not: it
draws "Error displaying widget: model not found" for every quiz and player of a
notebook just opened (jupyterlab_widgets' renderer, once the kernel's widget state
is restored without that model).  So the saved notebooks keep only the static form;
running a cell draws the live widget again.  nbval does not compare the reference
(its model id is random), so the saved outputs still match a run.

    .venv/bin/python tools/strip_widget_views.py notebooks/NN.00-*.ipynb

after executing a notebook (``tests/unit/test_saved_outputs.py`` checks it was done).
"""
import sys

import nbformat

WIDGET = "application/vnd.jupyter.widget-view+json"
STATIC = ("text/html", "image/png")


def strip(nb):
    """Drop the widget-view reference from every output of ``nb``; return how many.

    Refuses an output that has no static form to fall back on."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET not in data:
                continue
            if not any(data.get(m) for m in STATIC):
                raise ValueError(f"cell {cell.get('id')}: a widget output with no text/html "
                                 f"or image/png to show in its place: {data.get('text/plain')}")
            del data[WIDGET]
            count += 1
    return count


def main(paths):
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        count = strip(nb)
        if count:
            nbformat.write(nb, path)
        print(f"{path}: {count} widget views")


if __name__ == "__main__":
    main(sys.argv[1:])
