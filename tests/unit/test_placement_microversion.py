"""placement's microversion header parsing and the capacity rule, without a lab."""
import pytest

from labkit.placement import microversion
from labkit.placement.objects.allocation import capacity


@pytest.mark.parametrize("header, expected", [
    (None, (1, 0)), ("placement 1.20", (1, 20)), ("placement latest", (1, 39)),
    ("compute 2.1, placement 1.36", (1, 36))])
def test_parse(header, expected):
    environ = {"HTTP_OPENSTACK_API_VERSION": header} if header else {}
    assert microversion.parse(environ) == expected


@pytest.mark.parametrize("header, status", [("placement 1.40", 406), ("placement 2.0", 406),
                                            ("placement x", 400), ("placement 1.01", 400)])
def test_parse_errors(header, status):
    with pytest.raises(ValueError) as err:
        microversion.parse({"HTTP_OPENSTACK_API_VERSION": header})
    assert err.value.args[0] == status


def test_capacity_is_total_minus_reserved_times_ratio():
    assert capacity(16, 0, 4.0) == 64
    assert capacity(16384, 512, 1.0) == 15872
    assert capacity(10, 0, 1.5) == 15
