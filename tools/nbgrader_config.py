"""nbgrader settings for the labkit course.

labkit.course.exercises copies this file into the throw-away nbgrader course
directory it builds (``source/labkit/`` = notebooks/), so ``nbgrader
generate_assignment`` (tools/make_exercises.py) and ``nbgrader autograde``
(tests/test_exercises_autograde.py) both read it from the course root.
"""
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.converters import GenerateAssignment

c = get_config()  # noqa: F821 (traitlets defines it while loading this file)

c.CourseDirectory.course_id = "labkit"

# The learner copy of an answer: nbgrader's Python stub, said explicitly.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Outputs go, and with them the kernel's execution timings.
c.ClearOutput.remove_metadata_fields = {"collapsed", "scrolled", "execution"}

# The saved widget state (the quizzes' views) goes too: a learner copy has no outputs.
c.GenerateAssignment.preprocessors = [
    *GenerateAssignment.class_traits()["preprocessors"].default(),
    ClearMetadataPreprocessor]
c.ClearMetadataPreprocessor.enabled = True
c.ClearMetadataPreprocessor.clear_cell_metadata = False
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = {"kernelspec", "language_info"}

# Each notebook starts its own lab and boots servers; the multi-process lab of
# notebook 08 takes longest.  A cell that runs longer than this counts as failed.
c.Execute.timeout = 180
