"""One error path: domain errors become the pinned JSON shape under /api, a page elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mitradesa.errors import MitradesaError
from mitradesa.web.body_limit import REASON as BODY_TOO_LARGE
from mitradesa.web.body_limit import BodyTooLargeError
from mitradesa.web.security import LoginRequiredError, PasswordChangeRequiredError
from mitradesa.web.templating import render

log = logging.getLogger("mitradesa.web")
HTTP_MESSAGES = {
    404: "Halaman atau data tidak ditemukan.",
    405: "Metode tidak diizinkan untuk alamat ini.",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


# Details of a domain error that the API adds to its error object (e.g. a refused lifecycle
# step's `missing` items, a refused graduation's `unmet` criteria); every other detail stays
# internal.
EXPOSED_DETAILS = ("missing", "unmet")


def error_response(
    request: Request, status: int, reason: str, message: str, extra: dict | None = None
) -> Response:
    if _is_api(request):
        body = {"reason": reason, "message": message, **(extra or {})}
        return JSONResponse({"error": body}, status_code=status)
    if request.headers.get("hx-request"):
        return render(request, "_error_fragment.html", {"message": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequiredError)
    async def _login(request: Request, exc: LoginRequiredError) -> Response:
        target = quote(str(request.url.path), safe="/")
        return RedirectResponse(f"/masuk?next={target}", status_code=303)

    @app.exception_handler(PasswordChangeRequiredError)
    async def _password_change(request: Request, exc: PasswordChangeRequiredError) -> Response:
        if _is_api(request):
            return error_response(request, exc.status, exc.reason, exc.message)
        return RedirectResponse("/akun/kata-sandi", status_code=303)

    @app.exception_handler(MitradesaError)
    async def _domain(request: Request, exc: MitradesaError) -> Response:
        extra = {k: exc.details[k] for k in EXPOSED_DETAILS if k in exc.details}
        return error_response(request, exc.status, exc.reason, exc.message, extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ())[1:]) or 'data'}: {err.get('msg')}"
            for err in exc.errors()
        )
        status = 422 if _is_api(request) else 400
        return error_response(
            request, status, "validation_failed", f"Masukan tidak sah: {problems}"
        )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, exc: Exception) -> Response:
        # A number beyond 64 bits (SQLite) or a value PostgreSQL cannot store in its column:
        # the input's fault, not the server's.
        status = 422 if _is_api(request) else 400
        return error_response(request, status, "value_out_of_range",
                              "Ada angka atau teks yang melebihi batas yang dapat disimpan; "
                              "periksa isian Anda.")

    @app.exception_handler(BodyTooLargeError)
    async def _too_large(request: Request, exc: BodyTooLargeError) -> Response:
        return error_response(request, 413, BODY_TOO_LARGE, str(exc.detail))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return error_response(request, exc.status_code, f"http_{exc.status_code}", message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return PlainTextResponse(
            "Terjadi galat di server; sudah dicatat. Coba lagi atau hubungi admin.", status_code=500
        )
