"""Exercise checks: each prints ✓ on success and raises CheckFailed (✗ + hint) on failure.

A check never passes silently: it always says what it looked at.  The
notebooks call them in a locked cell right after an exercise cell.  A failed
check raises, so the cell fails: nbval fails the notebook run, and nbgrader's
autograder gives the test cell no points.  In Jupyter the learner sees only
``✗ what`` and the hint, not a traceback.
"""
import types


class CheckFailed(AssertionError):
    """A self-check that failed: shown as ``✗ what`` and ``hint: ...``.

    IPython shows the lines ``_render_traceback_`` returns in place of a
    traceback; anywhere else ``str()`` gives the same two lines.
    """

    def __init__(self, what, hint=""):
        super().__init__(what, hint)
        self.what, self.hint = what, hint

    def lines(self):
        return [f"✗ {self.what}"] + ([f"  hint: {self.hint}"] if self.hint else [])

    def __str__(self):
        return "\n".join(self.lines())

    def _render_traceback_(self):
        first, *rest = self.lines()
        return [f"\x1b[0;31m{first}\x1b[0m", *rest]


class Result:
    """A passed check: true, and shows nothing as a cell's value (the check already printed)."""

    def __init__(self, ok):
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __eq__(self, other):
        return bool(self) == bool(other)

    def __hash__(self):
        return hash(self.ok)

    def _ipython_display_(self):
        pass

    def __repr__(self):
        return f"Result({self.ok})"


def check(ok, what, hint=""):
    """Print ``✓ what`` and return a true Result, or raise CheckFailed(what, hint)."""
    if not ok:
        raise CheckFailed(what, hint)
    print(f"✓ {what}")
    return Result(True)


def check_equal(actual, expected, what, hint=""):
    """Compare a learner's answer with the expected value."""
    if actual == expected:
        return check(True, f"{what}: {actual!r}")
    return check(False, f"{what}: got {actual!r}", hint or f"expected something else "
                 f"({type(expected).__name__}); look at the cell above again")


def check_hops(events, expected, what="hops"):
    """``expected`` (kind, name) pairs must appear in ``events`` in this order.

    ``events`` may be trace events (dicts) or (kind, name) pairs already.
    """
    pairs = [(e["kind"], e["name"]) if isinstance(e, dict) else tuple(e) for e in events]
    position = 0
    for want in expected:
        try:
            position = pairs.index(tuple(want), position) + 1
        except ValueError:
            return check(False, f"{what}: {want[0]} {want[1]!r} is missing or out of order",
                         "filter lab.trace.events(request_id) by kind and name, "
                         "and keep them in seq order")
    return check(True, f"{what}: all {len(expected)} expected hops, in order")


def check_states(states, expected, what="task states"):
    """A list of states must equal ``expected`` (order matters)."""
    states = list(states)
    if states == list(expected):
        return check(True, f"{what}: {' → '.join(map(str, states))}")
    return check(False, f"{what}: got {' → '.join(map(str, states)) or 'nothing'}",
                 "read the 'states' of the db events for this instance, in seq order, "
                 "and keep each value once")


class _Host:
    """A stand-in HostState for checking a filter without a lab."""

    def __init__(self, host, free_ram_mb=8192, vcpus_used=0, num_instances=0):
        self.host, self.nodename = host, host
        self.free_ram_mb, self.vcpus_used, self.num_instances = \
            free_ram_mb, vcpus_used, num_instances
        self.total_usable_vcpus, self.total_usable_ram_mb = 64, 16384
        self.service, self.service_up, self.traits, self.failed_builds = {}, True, [], 0


def check_filter(cls, rejects="compute-1", what=None):
    """A scheduler filter class must subclass BaseHostFilter and reject one host.

    It is tried on three stand-in hosts ``compute-1..3``: it must reject
    ``rejects`` and pass the others.
    """
    from labkit.nova.scheduler import filters
    what = what or f"filter {getattr(cls, '__name__', cls)!r}"
    if not (isinstance(cls, type) and issubclass(cls, filters.BaseHostFilter)):
        return check(False, f"{what} is not a BaseHostFilter subclass",
                     "class MyFilter(filters.BaseHostFilter): def host_passes(self, host_state, spec_obj): ...")
    if cls.host_passes is filters.BaseHostFilter.host_passes:
        return check(False, f"{what} has no host_passes method", "define host_passes(self, host_state, spec_obj)")
    spec = types.SimpleNamespace(flavor={"memory_mb": 192, "vcpus": 1, "root_gb": 1,
                                         "ephemeral_gb": 0}, project_id="demo", user_id="demo")
    hosts = [_Host(f"compute-{n}") for n in (1, 2, 3)]
    try:
        passed = [h.host for h in cls().filter_all(hosts, spec)]
    except Exception as exc:   # a learner's bug: say which, in the check's own words
        return check(False, f"{what} raised {type(exc).__name__}: {exc}",
                     "host_state.host is the host name; return True to keep the host")
    expected = [h.host for h in hosts if h.host != rejects]
    return check(passed == expected, f"{what} keeps {passed} (should keep {expected})",
                 f"host_passes must return False for {rejects!r} and True for the rest")
