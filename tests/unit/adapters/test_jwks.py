"""The identity provider's key cache against a clock: the floor, the set's age, failures."""

from __future__ import annotations

import pytest

from adapters.jwks import JwksKeys, SigningKeyMissing
from tests.support.jwks_server import SigningKey, identity_provider


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def idp():
    with identity_provider() as provider:
        provider.publish(SigningKey.generate("rsa-1", "RS256"))
        yield provider


def test_a_provider_back_up_is_asked_again_only_after_the_floor(idp):
    clock = Clock()
    keys = JwksKeys(idp.url, floor_s=30, clock=clock)
    idp.down = True
    with pytest.raises(SigningKeyMissing, match="could not be fetched"):
        keys.key_for("rsa-1")
    idp.down = False

    clock.now += 29
    with pytest.raises(SigningKeyMissing):
        keys.key_for("rsa-1")
    assert idp.hits == 1

    clock.now += 1
    assert keys.key_for("rsa-1").key_id == "rsa-1"
    assert idp.hits == 2


def test_a_withdrawn_key_goes_once_the_set_is_older_than_its_max_age(idp):
    clock = Clock()
    keys = JwksKeys(idp.url, floor_s=30, max_age_s=600, clock=clock)
    assert keys.cached("rsa-1") is None
    keys.key_for("rsa-1")
    assert keys.cached("rsa-1") is not None
    idp.keys[:] = [SigningKey.generate("rsa-2", "RS256")]

    clock.now += 601
    assert keys.cached("rsa-1") is None  # stale: the next check fetches

    with pytest.raises(SigningKeyMissing, match="no key"):
        keys.key_for("rsa-1")
    assert keys.key_for("rsa-2").key_id == "rsa-2"
    assert idp.hits == 2


def test_keys_held_stay_in_use_while_the_provider_is_down(idp):
    clock = Clock()
    keys = JwksKeys(idp.url, floor_s=30, max_age_s=600, clock=clock)
    keys.key_for("rsa-1")
    idp.down = True

    clock.now += 601

    assert keys.key_for("rsa-1").key_id == "rsa-1"
    assert idp.hits == 2
