"""SCIM 2.0 (RFC 7644) for identity providers: /scim/v2/Users and the discovery endpoints.

Answers and refusals are `application/scim+json` (`app/scim/routing.py` renders every error
in SCIM's shape). Not in the OpenAPI document: SCIM describes itself (`/Schemas`,
`/ResourceTypes`, `/ServiceProviderConfig`), and providers read that.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from app.auth.deps import RequestVault
from app.scim import service
from app.scim.deps import ScimBaseUrl, ScimProvider
from app.scim.errors import ScimJSONResponse
from app.scim.routing import ScimRoute
from app.scim.schemas import PatchOp, UserIn

router = APIRouter(
    prefix="/scim/v2",
    tags=["scim"],
    route_class=ScimRoute,
    default_response_class=ScimJSONResponse,
    include_in_schema=False,
)


@router.get("/ServiceProviderConfig")
async def service_provider_config(_: ScimProvider, base: ScimBaseUrl) -> dict[str, Any]:
    return service.service_provider_config(base)


@router.get("/ResourceTypes")
async def resource_types(_: ScimProvider, base: ScimBaseUrl) -> dict[str, Any]:
    return service.resource_types(base)


@router.get("/ResourceTypes/{name}")
async def resource_type(name: str, _: ScimProvider, base: ScimBaseUrl) -> dict[str, Any]:
    return service.resource_type(base, name)


@router.get("/Schemas")
async def schemas(_: ScimProvider, base: ScimBaseUrl) -> dict[str, Any]:
    return service.schemas(base)


@router.get("/Schemas/{schema_id}")
async def schema(schema_id: str, _: ScimProvider, base: ScimBaseUrl) -> dict[str, Any]:
    return service.schema(base, schema_id)


@router.get("/Users")
async def list_users(
    provider: ScimProvider,
    vault: RequestVault,
    base: ScimBaseUrl,
    filter_text: Annotated[str | None, Query(alias="filter", max_length=400)] = None,
    start_index: Annotated[int, Query(alias="startIndex")] = 1,
    count: Annotated[int | None, Query()] = None,
) -> dict[str, Any]:
    return await service.list_users(
        vault,
        provider,
        filter_text=filter_text,
        start_index=start_index,
        count=count,
        base_url=base,
    )


@router.post("/Users", status_code=status.HTTP_201_CREATED)
async def create_user(
    body: UserIn, provider: ScimProvider, vault: RequestVault, base: ScimBaseUrl
) -> Response:
    created = await service.create_user(vault, provider, body, base)
    return ScimJSONResponse(
        created,
        status_code=status.HTTP_201_CREATED,
        headers={"Location": created["meta"]["location"]},
    )


@router.get("/Users/{user_id}")
async def get_user(
    user_id: str, provider: ScimProvider, vault: RequestVault, base: ScimBaseUrl
) -> dict[str, Any]:
    return await service.get_user(vault, provider, user_id, base)


@router.put("/Users/{user_id}")
async def replace_user(
    user_id: str, body: UserIn, provider: ScimProvider, vault: RequestVault, base: ScimBaseUrl
) -> dict[str, Any]:
    return await service.replace_user(vault, provider, user_id, body, base)


@router.patch("/Users/{user_id}")
async def patch_user(
    user_id: str, body: PatchOp, provider: ScimProvider, vault: RequestVault, base: ScimBaseUrl
) -> dict[str, Any]:
    return await service.patch_user(vault, provider, user_id, body, base)


@router.delete("/Users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def deactivate_user(user_id: str, provider: ScimProvider, vault: RequestVault) -> Response:
    """Deactivates (RFC 7644 says DELETE removes; here it never erases what the person did)."""
    await service.deactivate_user(vault, provider, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
