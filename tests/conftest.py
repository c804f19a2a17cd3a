"""Shared fixtures: a real lab per test module, real HTTP, real tokens."""
import pytest

import labkit
from labkit.client import Client


@pytest.fixture(scope="module")
def lab():
    """A running lab (seed 1) shared by one test module; stopped afterwards."""
    with labkit.start(seed=1, exclusive=False, quota_instances=1000, quota_cores=2000,
                      quota_ram=10**7) as running:
        yield running


@pytest.fixture
def client(lab):
    return Client(lab)


@pytest.fixture
def admin(lab):
    return Client(lab, "admin")
