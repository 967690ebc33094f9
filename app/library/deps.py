"""Who may write in the library: facilitators and admins (403 for anyone else, before any
lesson is loaded, so the answer says nothing about the lesson asked for)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.deps import CurrentIdentity
from app.library import service
from app.vault import Identity


async def library_editor(identity: CurrentIdentity) -> Identity:
    service.require_editor(identity)
    return identity


LibraryEditor = Annotated[Identity, Depends(library_editor)]
