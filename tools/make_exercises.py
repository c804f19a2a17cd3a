"""Make the learner copies: notebooks/*.ipynb -> exercises/*.ipynb, with nbgrader.

``nbgrader generate_assignment`` (settings: tools/nbgrader_config.py) turns
every answer cell's ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` into
``# YOUR CODE HERE`` + ``raise NotImplementedError()``, clears every output
and locks the check cells.  It first checks that each exercise follows the
course's nbgrader convention (see labkit/course/exercises.py).  Run it after
changing a notebook (tests/test_course.py checks that exercises/ is in step):

    .venv/bin/python tools/make_exercises.py
"""
import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labkit.course.exercises import make_exercises  # noqa: E402

CONFIG = ROOT / "tools" / "nbgrader_config.py"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(ROOT / "notebooks"))
    parser.add_argument("--out", default=str(ROOT / "exercises"))
    args = parser.parse_args(argv)
    for path in make_exercises(args.src, args.out, CONFIG):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
