"""The policy table is the contract's table (API.md "Authentication"), and a token never does
more than its owner."""

from __future__ import annotations

import pytest

from api.auth.actor import Actor
from api.auth.policy import POLICY, Permission, authorize, may_grant
from api.errors import Forbidden, Unauthenticated
from db.models import Role

R, U, V, E, A = (
    Permission.READ,
    Permission.UPLOAD,
    Permission.REVIEW,
    Permission.EXPORT,
    Permission.ADMIN,
)
CONTRACT = {
    Role.ADMIN: {R, U, V, E, A},
    Role.REVIEWER: {R, U, V, E},
    Role.UPLOADER: {R, U},
    Role.VIEWER: {R, E},
}


def test_policy_is_the_contract() -> None:
    assert {role: set(perms) for role, perms in POLICY.items()} == CONTRACT


@pytest.mark.parametrize("owner", list(Role))
@pytest.mark.parametrize("wanted", list(Role))
def test_a_token_never_exceeds_its_owner(owner: Role, wanted: Role) -> None:
    assert may_grant(owner, wanted) == (CONTRACT[wanted] <= CONTRACT[owner])


def test_authorize() -> None:
    with pytest.raises(Unauthenticated):
        authorize(None, Permission.READ)
    viewer = Actor(kind="user", id=None, label="v", role=Role.VIEWER)
    assert authorize(viewer, Permission.EXPORT) is viewer
    with pytest.raises(Forbidden) as refused:
        authorize(viewer, Permission.UPLOAD)
    assert refused.value.code == "FORBIDDEN"
