"""labkit/course/checks.py: a passed check prints ✓, a failed one raises CheckFailed."""
import pytest

from labkit.course import checks
from labkit.course.checks import CheckFailed
from labkit.nova.scheduler import filters


def test_a_passed_check_prints_and_shows_no_value(capsys):
    result = checks.check(True, "all good")
    assert result and capsys.readouterr().out == "✓ all good\n"
    assert result._ipython_display_() is None   # the cell shows the ✓ line only


def test_a_failed_check_raises_an_assertion_error_that_prints_nothing(capsys):
    with pytest.raises(AssertionError) as failed:
        checks.check(False, "the answer", "look again")
    assert capsys.readouterr().out == ""
    assert isinstance(failed.value, CheckFailed)
    assert str(failed.value) == "✗ the answer\n  hint: look again"


def test_ipython_shows_the_cross_and_the_hint_in_place_of_a_traceback():
    lines = CheckFailed("the answer", "look again")._render_traceback_()
    assert len(lines) == 2
    assert "✗ the answer" in lines[0] and lines[1] == "  hint: look again"
    assert CheckFailed("no hint")._render_traceback_() == ["\x1b[0;31m✗ no hint\x1b[0m"]


def test_check_equal_says_what_it_got():
    assert checks.check_equal([1, 2], [1, 2], "the list")
    with pytest.raises(CheckFailed, match=r"✗ the list: got \[2, 1\]") as failed:
        checks.check_equal([2, 1], [1, 2], "the list")
    assert "expected something else (list)" in failed.value.hint


def test_check_hops_names_the_first_missing_hop():
    events = [{"kind": "cast", "name": "a"}, {"kind": "db", "name": "x"}, {"kind": "call", "name": "b"}]
    assert checks.check_hops(events, [("cast", "a"), ("call", "b")])
    with pytest.raises(CheckFailed, match="call 'c' is missing or out of order"):
        checks.check_hops(events, [("cast", "a"), ("call", "c")])


def test_check_states_wants_the_exact_order():
    assert checks.check_states(["scheduling", "spawning"], ["scheduling", "spawning"])
    with pytest.raises(CheckFailed, match="got spawning → scheduling"):
        checks.check_states(["spawning", "scheduling"], ["scheduling", "spawning"])
    with pytest.raises(CheckFailed, match="got nothing"):
        checks.check_states([], ["scheduling"])


def test_check_filter_reports_a_filter_that_raises():
    class Broken(filters.BaseHostFilter):
        def host_passes(self, host_state, spec_obj):
            return host_state.name != "compute-1"    # HostState has .host, not .name

    with pytest.raises(CheckFailed, match="raised AttributeError") as failed:
        checks.check_filter(Broken)
    assert "host_state.host" in failed.value.hint


def test_check_filter_wants_a_host_passes_method():
    class Empty(filters.BaseHostFilter):
        pass

    with pytest.raises(CheckFailed, match="has no host_passes method"):
        checks.check_filter(Empty)
