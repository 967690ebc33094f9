"""SCIM's rules: how a provider's User maps onto a person in the vault, PATCH operations, the
filter and paging of the list, and the discovery documents.

The mapping (docs/integrations.md, "SCIM provisioning"): `userName` is the e-mail address;
`displayName` the name shown (else "givenName familyName", else the address's local part);
`name.givenName` and `name.familyName` are kept sealed for the provider to read back; the
enterprise extension's `department` is the vault's department; `active: false` deactivates.
Nothing else a provider sends is kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError

from app.scim.errors import (
    InvalidPath,
    InvalidSyntax,
    InvalidValue,
    NoTarget,
    ScimNotFound,
)
from app.scim.filters import user_name_wanted
from app.scim.schemas import (
    ENTERPRISE_SCHEMA,
    LIST_RESPONSE_SCHEMA,
    PATCH_OP_SCHEMA,
    RESOURCE_TYPE_SCHEMA,
    SCHEMA_SCHEMA,
    SERVICE_PROVIDER_CONFIG_SCHEMA,
    USER_SCHEMA,
    EmailValue,
    EnterpriseUser,
    ListResponse,
    Meta,
    Name,
    PatchOp,
    PatchOperation,
    UserIn,
    UserOut,
    dump,
)
from app.vault import (
    AccountNotFound,
    BoundVault,
    Language,
    NewProfile,
    ScimTokenSummary,
    ScimUser,
    ScimUserChange,
)

# The most Users one list answer holds (ServiceProviderConfig's filter.maxResults says so).
MAX_RESULTS = 200
LANGUAGES: tuple[Language, ...] = ("en", "fr", "es")


def _timestamp(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def user_out(user: ScimUser, base_url: str) -> dict[str, Any]:
    formatted = " ".join(p for p in (user.given_name, user.family_name) if p) or None
    return dump(
        UserOut(
            id=str(user.scim_id),
            user_name=user.email,
            name=Name(
                given_name=user.given_name,
                family_name=user.family_name,
                formatted=formatted or user.display_name,
            ),
            display_name=user.display_name,
            emails=[EmailValue(value=user.email, type="work", primary=True)],
            active=user.active,
            enterprise=EnterpriseUser(department=user.department),
            meta=Meta(
                resource_type="User",
                created=_timestamp(user.created_at),
                last_modified=_timestamp(user.updated_at),
                location=f"{base_url}/Users/{user.scim_id}",
            ),
        )
    )


def _scim_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise ScimNotFound() from exc


def _language(preferred: str | None) -> Language:
    wanted = (preferred or "").replace("_", "-").split("-")[0].lower()
    return next((language for language in LANGUAGES if language == wanted), "en")


def _checked(state: dict[str, Any]) -> ScimUserChange:
    """The change, once the vault's own profile rules accept its fields (the same rules as a
    form: an address, a name and a department of at most 100 characters)."""
    email = state.get("email")
    given, family = state.get("given_name"), state.get("family_name")
    display_name = (
        state.get("display_name")
        or " ".join(p for p in (given, family) if p)
        or (email.split("@")[0] if isinstance(email, str) else None)
    )
    try:
        profile = NewProfile(
            display_name=display_name,
            email=email,
            department=state.get("department") or None,
            language=state.get("language", "en"),
        )
    except ValidationError as exc:
        fields = sorted({str(err["loc"][0]) for err in exc.errors() if err["loc"]})
        names = {"email": "userName", "display_name": "displayName", "department": "department"}
        raise InvalidValue(
            f"Invalid or missing: {', '.join(names.get(f, f) for f in fields)}."
        ) from exc
    for part in (given, family):
        if part is not None and len(part) > 100:
            raise InvalidValue("A name part is longer than 100 characters.")
    return ScimUserChange(
        email=str(profile.email),
        display_name=profile.display_name,
        given_name=given or None,
        family_name=family or None,
        department=profile.department,
        active=bool(state.get("active", True)),
        language=profile.language,
    )


def _state_from(body: UserIn, *, active: bool = True) -> dict[str, Any]:
    """What a POST or PUT sets; `active` where the body does not say."""
    name = body.name or Name()
    return {
        "email": body.user_name,
        "display_name": body.display_name,
        "given_name": name.given_name,
        "family_name": name.family_name,
        "department": body.enterprise.department if body.enterprise else None,
        "active": active if body.active is None else body.active,
        "language": _language(body.preferred_language),
    }


def _state_of(user: ScimUser) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "department": user.department,
        "active": user.active,
    }


async def list_users(
    vault: BoundVault,
    provider: ScimTokenSummary,
    *,
    filter_text: str | None,
    start_index: int,
    count: int | None,
    base_url: str,
) -> dict[str, Any]:
    """RFC 7644 §3.4.2: 1-based `startIndex` (below 1 reads as 1), `count` capped at
    MAX_RESULTS (0 answers the total alone)."""
    start = max(1, start_index)
    limit = MAX_RESULTS if count is None else min(max(0, count), MAX_RESULTS)
    if filter_text is not None:
        found = await vault.scim_user_named(provider, user_name_wanted(filter_text))
        matches = [found] if found is not None else []
        total, users = len(matches), matches[start - 1 : start - 1 + limit]
    else:
        total, users = await vault.scim_users(provider, offset=start - 1, limit=limit)
        users = users if limit else []
    return dump(
        ListResponse(
            total_results=total,
            start_index=start,
            items_per_page=len(users),
            resources=[user_out(user, base_url) for user in users],
        )
    )


async def get_user(
    vault: BoundVault, provider: ScimTokenSummary, raw_id: str, base_url: str
) -> dict[str, Any]:
    return user_out(await _user(vault, provider, _scim_id(raw_id)), base_url)


async def _user(vault: BoundVault, provider: ScimTokenSummary, scim_id: uuid.UUID) -> ScimUser:
    try:
        return await vault.scim_user(provider, scim_id)
    except AccountNotFound as exc:
        raise ScimNotFound() from exc


async def create_user(
    vault: BoundVault, provider: ScimTokenSummary, body: UserIn, base_url: str
) -> dict[str, Any]:
    """A new person (the provider found nobody with this userName first); an address that
    has an account already is refused with `uniqueness`, so the provider matches it instead."""
    user = await vault.create_scim_user(provider, _checked(_state_from(body)))
    return user_out(user, base_url)


async def replace_user(
    vault: BoundVault, provider: ScimTokenSummary, raw_id: str, body: UserIn, base_url: str
) -> dict[str, Any]:
    scim_id = _scim_id(raw_id)
    current = await _user(vault, provider, scim_id)
    change = _checked(_state_from(body, active=current.active))
    return user_out(await vault.replace_scim_user(provider, scim_id, change), base_url)


async def patch_user(
    vault: BoundVault, provider: ScimTokenSummary, raw_id: str, body: PatchOp, base_url: str
) -> dict[str, Any]:
    """RFC 7644 §3.5.2: every operation applies, in order, or none does."""
    if PATCH_OP_SCHEMA not in body.schemas:
        raise InvalidSyntax(f"A PATCH body names the schema {PATCH_OP_SCHEMA}.")
    scim_id = _scim_id(raw_id)
    state = _state_of(await _user(vault, provider, scim_id))
    for operation in body.operations:
        _apply(state, operation)
    change = _checked(state)
    return user_out(await vault.replace_scim_user(provider, scim_id, change), base_url)


async def deactivate_user(vault: BoundVault, provider: ScimTokenSummary, raw_id: str) -> None:
    """DELETE deactivates: the person's sessions end and they can no longer sign in, but what
    they did stays, and a later `active: true` brings them back. Erasure stays the person's
    own choice (or an administrator's), never a provider's side effect."""
    scim_id = _scim_id(raw_id)
    state = _state_of(await _user(vault, provider, scim_id))
    state["active"] = False
    await vault.replace_scim_user(provider, scim_id, _checked(state))


# PATCH ---------------------------------------------------------------------------------------


def _apply(state: dict[str, Any], operation: PatchOperation) -> None:
    verb = operation.op.strip().lower()
    if verb not in ("add", "replace", "remove"):
        raise InvalidSyntax("A PATCH operation is add, replace or remove.")
    if operation.path is None or not operation.path.strip():
        if verb == "remove":
            raise NoTarget("remove needs a path.")
        if not isinstance(operation.value, dict):
            raise InvalidValue("An operation without a path sets the attributes of an object.")
        for path, value in operation.value.items():
            _set(state, str(path), value, remove=False)
        return
    _set(state, operation.path, operation.value, remove=verb == "remove")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidValue("A text attribute was given a value that is not text.")


def _boolean(value: Any) -> bool:
    # Entra ID sends "True"/"False" as strings unless its SCIM compliance flag is set.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise InvalidValue("active is true or false.")


_USER_PREFIX = USER_SCHEMA.lower() + ":"
_ENTERPRISE = ENTERPRISE_SCHEMA.lower()
# Attributes of the core schema this service does not keep: accepted, not stored.
_VALUE_FILTERED = ("emails[", "phonenumbers[", "addresses[", "ims[", "photos[", "x509certificates[")


def _set(state: dict[str, Any], path: str, value: Any, *, remove: bool) -> None:
    where = path.strip().lower()
    if where.startswith(_USER_PREFIX):
        where = where[len(_USER_PREFIX) :]
    if where.startswith(_ENTERPRISE):
        rest = where[len(_ENTERPRISE) :]
        if rest == "":
            if remove:
                state["department"] = None
            elif isinstance(value, dict):
                for key, inner in value.items():
                    _set(state, f"{ENTERPRISE_SCHEMA}:{key}", inner, remove=False)
            else:
                raise InvalidValue("The enterprise extension is set with an object.")
        elif rest == ":department":
            state["department"] = None if remove else _text(value)
        elif not rest.startswith(":"):
            raise InvalidPath()
        return  # the extension's other attributes (employeeNumber, manager, ...) are not kept
    if "[" in where and not where.startswith(_VALUE_FILTERED):
        raise InvalidPath()
    if where == "active":
        if remove:
            raise InvalidValue("active cannot be removed.")
        state["active"] = _boolean(value)
    elif where == "username":
        if remove:
            raise InvalidValue("userName cannot be removed.")
        state["email"] = _text(value)
    elif where == "displayname":
        state["display_name"] = None if remove else _text(value)
    elif where == "name":
        if remove:
            state["given_name"] = state["family_name"] = None
        elif isinstance(value, dict):
            for key, inner in value.items():
                _set(state, f"name.{key}", inner, remove=False)
        else:
            raise InvalidValue("name is set with an object.")
    elif where == "name.givenname":
        state["given_name"] = None if remove else _text(value)
    elif where == "name.familyname":
        state["family_name"] = None if remove else _text(value)
    # Anything else (emails, externalId, title, phone numbers, name.formatted, ...) is not kept.


# Discovery (RFC 7644 §4) -------------------------------------------------------------------


def service_provider_config(base_url: str) -> dict[str, Any]:
    return {
        "schemas": [SERVICE_PROVIDER_CONFIG_SCHEMA],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token made by an administrator on the administration page",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url}/ServiceProviderConfig",
        },
    }


def _user_resource_type(base_url: str) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person who takes part in challenges",
        "schema": USER_SCHEMA,
        "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
        "meta": {"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/User"},
    }


def resource_types(base_url: str) -> dict[str, Any]:
    return _list([_user_resource_type(base_url)])


def resource_type(base_url: str, name: str) -> dict[str, Any]:
    if name != "User":
        raise ScimNotFound()
    return _user_resource_type(base_url)


def _attribute(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "string",
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        **extra,
    }


def _schemas(base_url: str) -> list[dict[str, Any]]:
    user = {
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "The attributes this service keeps; others are accepted and not stored",
        "attributes": [
            _attribute("userName", required=True, uniqueness="server"),
            _attribute(
                "name",
                type="complex",
                subAttributes=[_attribute("givenName"), _attribute("familyName")],
            ),
            _attribute("displayName"),
            _attribute(
                "emails",
                type="complex",
                multiValued=True,
                mutability="readOnly",
                subAttributes=[
                    _attribute("value"),
                    _attribute("type"),
                    _attribute("primary", type="boolean"),
                ],
            ),
            _attribute("active", type="boolean"),
        ],
        "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{USER_SCHEMA}"},
    }
    enterprise = {
        "schemas": [SCHEMA_SCHEMA],
        "id": ENTERPRISE_SCHEMA,
        "name": "EnterpriseUser",
        "description": "Of the enterprise extension, only the department is kept",
        "attributes": [_attribute("department")],
        "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{ENTERPRISE_SCHEMA}"},
    }
    return [user, enterprise]


def schemas(base_url: str) -> dict[str, Any]:
    return _list(_schemas(base_url))


def schema(base_url: str, schema_id: str) -> dict[str, Any]:
    for document in _schemas(base_url):
        if document["id"] == schema_id:
            return document
    raise ScimNotFound()


def _list(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
