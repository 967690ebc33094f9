"""SCIM's messages (RFC 7643 resources, RFC 7644 messages), as identity providers send and read
them: attribute names in SCIM's camelCase, the enterprise extension under its URN.

Input models ignore attributes this service does not keep (a title, phone numbers, addresses),
so that a provider's default attribute mapping works without editing: what is not listed here
is neither refused nor stored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


class ScimModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class Name(ScimModel):
    given_name: str | None = Field(default=None, alias="givenName")
    family_name: str | None = Field(default=None, alias="familyName")
    formatted: str | None = None


class EmailValue(ScimModel):
    value: str
    type: str | None = None
    primary: bool | None = None


class EnterpriseUser(ScimModel):
    department: str | None = None


class UserIn(ScimModel):
    """A User as POST and PUT send it. `userName` is the person's e-mail address; `emails` is
    answered from it and not read (one address per person)."""

    schemas: list[str] = Field(default_factory=lambda: [USER_SCHEMA])
    user_name: str = Field(alias="userName", min_length=1, max_length=320)
    name: Name | None = None
    display_name: str | None = Field(default=None, alias="displayName")
    # Pydantic's lax booleans read "True"/"False" too, which Entra ID sends by default. Left
    # out, a new person is active and a replaced one keeps their state.
    active: bool | None = None
    preferred_language: str | None = Field(default=None, alias="preferredLanguage")
    enterprise: EnterpriseUser | None = Field(default=None, alias=ENTERPRISE_SCHEMA)


class Meta(ScimModel):
    resource_type: str = Field(alias="resourceType")
    created: str | None = None
    last_modified: str | None = Field(default=None, alias="lastModified")
    location: str


class UserOut(ScimModel):
    schemas: list[str] = Field(default_factory=lambda: [USER_SCHEMA, ENTERPRISE_SCHEMA])
    id: str
    user_name: str = Field(alias="userName")
    name: Name
    display_name: str = Field(alias="displayName")
    emails: list[EmailValue]
    active: bool
    enterprise: EnterpriseUser = Field(alias=ENTERPRISE_SCHEMA)
    meta: Meta


class ListResponse(ScimModel):
    schemas: list[str] = Field(default_factory=lambda: [LIST_RESPONSE_SCHEMA])
    total_results: int = Field(alias="totalResults")
    start_index: int = Field(alias="startIndex")
    items_per_page: int = Field(alias="itemsPerPage")
    resources: list[Any] = Field(alias="Resources")


class PatchOperation(ScimModel):
    op: str
    path: str | None = None
    value: Any = None


class PatchOp(ScimModel):
    schemas: list[str]
    operations: list[PatchOperation] = Field(alias="Operations", min_length=1, max_length=100)


PatchVerb = Literal["add", "replace", "remove"]


def dump(model: ScimModel) -> dict[str, Any]:
    """The message as SCIM's JSON: its own attribute names, absent values left out."""
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")
