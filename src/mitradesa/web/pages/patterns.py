"""`/-/patterns`: every UI component on one page, screenshot by the browser tests."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from mitradesa.web.templating import render

router = APIRouter()


@router.get("/-/patterns")
def patterns(request: Request) -> Response:
    return render(request, "patterns.html")
