"""Field types shared by the schemas whose refusals carry a stable code (app/errors.py)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import EmailStr, ValidationInfo, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError


def _email(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
    try:
        return handler(value)
    except ValueError as exc:  # pydantic's ValidationError is one; its text may quote the input
        raise PydanticCustomError("not_an_email", "not a valid email address") from exc


Email = Annotated[EmailStr, WrapValidator(_email)]
"""An email address; a refusal says `not_an_email`, never which characters were wrong."""

# A version, revision or proposal number a client sends back is kept in an INTEGER column on
# PostgreSQL: a larger number is refused as invalid input (422) instead of failing in the driver.
MAX_INT32 = 2**31 - 1
