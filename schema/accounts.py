"""Users, the signed-in caller and API tokens in GraphQL (names pinned by the auth contract).

Resolvers are thin: ``api.services.accounts`` authorizes (policy table) and audits.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.effects import commit
from api.ids import parse_id
from api.services.accounts import AccountService
from db import models
from schema.errors import NotFoundError, ValidationError


@strawberry.enum(description="What a user or token may do (see the API's policy table).")
class Role(Enum):
    ADMIN = strawberry.enum_value("admin", description="Everything, users and every token.")
    REVIEWER = strawberry.enum_value(
        "reviewer", description="Read, upload, review, finalize, retry, cancel, export."
    )
    UPLOADER = strawberry.enum_value("uploader", description="Read and upload.")
    VIEWER = strawberry.enum_value("viewer", description="Read and export.")


def _role(value: str) -> Role:
    return Role(value)


def _role_name(role: Role | None) -> str | None:
    """The stored role name (``admin``, …) of a GraphQL ``Role`` (ADMIN, …)."""
    return role.name.lower() if role is not None else None


@strawberry.type(description="The signed-in user (for an API token: its owner, with its role).")
class Me:
    id: strawberry.ID = strawberry.field(description="The user's id.")
    email: str = strawberry.field(description="The user's email.")
    role: Role = strawberry.field(description="What this session or token may do.")


@strawberry.type(description="A person who signs in.")
class User:
    row: strawberry.Private[models.User]

    @strawberry.field(description="The user's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="Email (lower-case), used to sign in.")
    def email(self) -> str:
        return self.row.email

    @strawberry.field(description="What the user may do.")
    def role(self) -> Role:
        return _role(self.row.role)

    @strawberry.field(description="A disabled user cannot sign in; their tokens are revoked.")
    def disabled(self) -> bool:
        return self.row.disabled

    @strawberry.field(description="When the user was created.")
    def created_at(self) -> datetime:
        return self.row.created_at

    @strawberry.field(description="Last successful sign-in.")
    def last_sign_in_at(self) -> datetime | None:
        return self.row.last_sign_in_at


@strawberry.type(description="An integrator's API token (its secret is shown only once).")
class ApiToken:
    row: strawberry.Private[models.ApiToken]
    owner_row: strawberry.Private[models.User]

    @strawberry.field(description="The token's id (for revokeApiToken).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="What the token is for.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field(
        description='The token\'s first characters (e.g. "pl_AbCd1234"), to tell tokens apart.'
    )
    def prefix(self) -> str:
        return self.row.prefix

    @strawberry.field(description="What the token may do (never more than its owner).")
    def role(self) -> Role:
        return _role(self.row.role)

    @strawberry.field(description="When it was created.")
    def created_at(self) -> datetime:
        return self.row.created_at

    @strawberry.field(description="When it stops working; null: never.")
    def expires_at(self) -> datetime | None:
        return self.row.expires_at

    @strawberry.field(description="Last use (recorded at most once a minute).")
    def last_used_at(self) -> datetime | None:
        return self.row.last_used_at

    @strawberry.field(description="When it was revoked; null: active.")
    def revoked_at(self) -> datetime | None:
        return self.row.revoked_at

    @strawberry.field(description="The user the token acts for.")
    def owner(self) -> User:
        return User(row=self.owner_row)


@strawberry.input(description="A new user.")
class CreateUserInput:
    email: str = strawberry.field(description="Email address (case-insensitive, unique).")
    role: Role = strawberry.field(description="What the user may do.")
    password: str = strawberry.field(description="At least 10 characters.")


@strawberry.input(description="Changes to a user; omitted fields stay.")
class UpdateUserInput:
    id: strawberry.ID = strawberry.field(description="The user's id.")
    role: Role | None = strawberry.field(default=None, description="New role.")
    disabled: bool | None = strawberry.field(
        default=None, description="Disable (revokes sessions and tokens) or enable."
    )


@strawberry.input(description="A new API token for the caller.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What it is for (1-100 characters).")
    role: Role | None = strawberry.field(
        default=None, description="At most the caller's own role (default: the caller's)."
    )
    expires_in_days: int | None = strawberry.field(
        default=None, description="Days until it stops working (1..3650); null: never."
    )


@strawberry.type(description="The user was created.")
class CreateUserSuccess:
    user: User = strawberry.field(description="The new user.")


@strawberry.type(description="The user was changed.")
class UpdateUserSuccess:
    user: User = strawberry.field(description="The user.")


@strawberry.type(description="The token was created; copy the secret now, it is never shown again.")
class CreateApiTokenSuccess:
    token: ApiToken = strawberry.field(description="The token.")
    secret: str = strawberry.field(description="The token itself: send as `Bearer <secret>`.")


@strawberry.type(description="The token is revoked (now or before).")
class RevokeApiTokenSuccess:
    token: ApiToken = strawberry.field(description="The token.")


CreateUserResult = Annotated[
    CreateUserSuccess | ValidationError,
    strawberry.union("CreateUserResult", description="Created, or why not."),
]
UpdateUserResult = Annotated[
    UpdateUserSuccess | NotFoundError | ValidationError,
    strawberry.union("UpdateUserResult", description="Changed, or why not."),
]
CreateApiTokenResult = Annotated[
    CreateApiTokenSuccess | ValidationError,
    strawberry.union("CreateApiTokenResult", description="Created, or why not."),
]
RevokeApiTokenResult = Annotated[
    RevokeApiTokenSuccess | NotFoundError,
    strawberry.union("RevokeApiTokenResult", description="Revoked, or why not."),
]


def _service(info: Info, session: object) -> AccountService:
    return info.context.app.accounts(session)


@strawberry.type
class AccountQueries:
    @strawberry.field(description="Who is calling (an error UNAUTHENTICATED if nobody).")
    async def me(self, info: Info) -> Me:
        actor = info.context.actor
        async with info.context.use() as session:
            user = await _service(info, session).me(actor)
        return Me(id=strawberry.ID(str(user.id)), email=user.email, role=Role(actor.role.value))

    @strawberry.field(description="Every user (admin only).")
    async def users(self, info: Info) -> list[User]:
        async with info.context.use() as session:
            rows = await _service(info, session).users(info.context.actor)
        return [User(row=r) for r in rows]

    @strawberry.field(description="The caller's own API tokens (an admin: everyone's).")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        async with info.context.use() as session:
            rows = await _service(info, session).tokens(info.context.actor)
        return [ApiToken(row=t, owner_row=u) for t, u in rows]


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Create a user (admin only).")
    async def create_user(
        self, info: Info, input: Annotated[CreateUserInput, strawberry.argument(description="Who.")]
    ) -> CreateUserResult:
        async with info.context.use() as session:
            user = await _service(info, session).create_user(
                info.context.actor, input.email, input.role.name.lower(), input.password
            )
            await commit(session)
        return CreateUserSuccess(user=User(row=user))

    @strawberry.mutation(
        description="Change a user's role or disable them (admin only). Disabling revokes "
        "their sessions and tokens; their open subscriptions close within seconds."
    )
    async def update_user(
        self,
        info: Info,
        input: Annotated[UpdateUserInput, strawberry.argument(description="What to change.")],
    ) -> UpdateUserResult:
        user_id = parse_id(input.id, "user")
        async with info.context.use() as session:
            user = await _service(info, session).update_user(
                info.context.actor,
                user_id,
                role=_role_name(input.role),
                disabled=input.disabled,
            )
            await commit(session)
        return UpdateUserSuccess(user=User(row=user))

    @strawberry.mutation(
        description="Create an API token for the caller; its secret is in the answer only."
    )
    async def create_api_token(
        self,
        info: Info,
        input: Annotated[CreateApiTokenInput, strawberry.argument(description="The token.")],
    ) -> CreateApiTokenResult:
        async with info.context.use() as session:
            service = _service(info, session)
            created = await service.create_token(
                info.context.actor,
                input.name,
                role=_role_name(input.role),
                expires_in_days=input.expires_in_days,
            )
            owner = await session.get(models.User, created.token.user_id)
            await commit(session)
        assert owner is not None
        return CreateApiTokenSuccess(
            token=ApiToken(row=created.token, owner_row=owner), secret=created.secret
        )

    @strawberry.mutation(
        description="Revoke one of the caller's tokens (an admin: anyone's); its open "
        "subscriptions close within seconds. Revoking a revoked token changes nothing."
    )
    async def revoke_api_token(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Token id.")]
    ) -> RevokeApiTokenResult:
        token_id = parse_id(id, "token")
        async with info.context.use() as session:
            token = await _service(info, session).revoke_token(info.context.actor, token_id)
            owner = await session.get(models.User, token.user_id)
            await commit(session)
        assert owner is not None
        return RevokeApiTokenSuccess(token=ApiToken(row=token, owner_row=owner))
