"""`/api/v1/me`: who the token or session belongs to."""

from __future__ import annotations

from fastapi import APIRouter

from mitradesa.web.api.schemas import UserRead
from mitradesa.web.security import CurrentUser

router = APIRouter(tags=["accounts"])


@router.get("/me", response_model=UserRead)
def api_me(user: CurrentUser) -> UserRead:
    return UserRead(
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        scope=user.scope_codes,
        organisation=user.organisation,
    )
