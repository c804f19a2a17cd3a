"""Password hashing and the auth-request schema, without a lab."""
import pytest

from labkit.keystone import schema
from labkit.keystone.exception import ValidationError
from labkit.keystone.identity import check_password, hash_password


def test_password_hash_round_trip():
    hashed = hash_password("secret", "salt1234")
    assert hashed.startswith("pbkdf2_sha512$") and "secret" not in hashed
    assert check_password("secret", hashed)
    assert not check_password("Secret", hashed)


@pytest.mark.parametrize("auth", [{}, {"identity": {}}, {"identity": {"methods": "password"}},
                                  {"identity": {"methods": ["password"],
                                                "password": {"user": {"password": "x"}}}}])
def test_token_issue_schema_rejects(auth):
    with pytest.raises(ValidationError) as err:
        schema.validate(auth, schema.token_issue)
    assert err.value.code == 400


def test_token_issue_schema_accepts_names_or_ids():
    schema.validate({"identity": {"methods": ["password"], "password": {"user": {
        "id": "u", "password": "p"}}}, "scope": {"project": {"id": "p"}}}, schema.token_issue)
