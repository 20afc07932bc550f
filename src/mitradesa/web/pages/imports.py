"""Imports in the browser (`/impor`), for DPMD staff and pendamping within their scope.

Choose the kind of table (and the year or program it needs), download its template, upload
a file → a preview of what would be added and changed and every problem with its row (a dry
run of the command line's use case) → confirm → a progress bar while the import runs in the
background → the result. All or nothing: the confirmation checks the file again and writes
nothing when a problem turns up.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection

from mitradesa.accounts.models import User
from mitradesa.errors import MitradesaError, NotFoundError
from mitradesa.imports import jobs, running, staging
from mitradesa.imports.kinds import KINDS, TEMPLATES, example_village, write_template
from mitradesa.imports.outcome import Outcome
from mitradesa.io.exports import write_csv, write_xlsx
from mitradesa.io.uploads import UploadRefusedError
from mitradesa.mentoring.queries import visible_programs
from mitradesa.mentoring.vocab import TARGET_TYPES
from mitradesa.web.pages.partnerships import (
    FormDep,
    require_role,
    submitted,
    translator,
    upload_of,
)
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()
IMPORTERS = ("admin", "pendamping")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2015


def _may_import(user: User) -> None:
    require_role(user, IMPORTERS, "Hanya DPMD atau pendamping yang mengimpor data.")


def _years() -> list[int]:
    return list(range(date.today().year + 1, FIRST_YEAR - 1, -1))


def _form_page(request: Request, db: SessionDep, user: User, values: dict[str, str],
               errors: list[str], status_code: int = 200) -> Response:
    programs = [p for p in visible_programs(db, user) if p.target_type in ("household", "umkm")]
    return render(request, "imports/start.html", {
        "kinds": KINDS, "values": values, "errors": errors, "years": _years(),
        "programs": programs, "TARGET_TYPES": TARGET_TYPES,
        "max_mb": staging.MAX_BYTES // (1024 * 1024),
    }, status_code=status_code)


@router.get("/impor")
def import_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    _may_import(user)
    chosen = request.query_params.get("jenis", "")
    values = {"jenis": chosen if chosen in KINDS else "idm",
              "tahun": request.query_params.get("tahun", ""),
              "program": request.query_params.get("program", "")}
    return _form_page(request, db, user, values, [])


@router.get("/impor/templat/{key}.xlsx")
def import_template(key: str, db: SessionDep, user: CurrentUser) -> Response:
    _may_import(user)
    if key not in TEMPLATES:
        raise NotFoundError("Templat ini tidak ada.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"templat-{key}.xlsx"
        write_template(path, key, example_village(db, user), date.today().year - 1)
        content = path.read_bytes()
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="templat-impor-{key}.xlsx"'})


def _whole(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.post("/impor")
def import_upload(request: Request, db: SessionDep, user: CurrentUser,
                  data: FormDep) -> Response:
    _may_import(user)
    form = submitted(request, data)
    tr = translator(request)
    values = {"jenis": form.v("jenis"), "tahun": form.v("tahun"), "program": form.v("program")}
    kind = KINDS.get(values["jenis"])
    errors: list[str] = []
    if kind is None:
        errors.append(tr(N_("Choose what the file holds.")))
    year = _whole(values["tahun"]) if kind is not None and kind.needs_year else None
    if kind is not None and kind.needs_year and values["tahun"] and (
            year is None or year not in _years()):
        errors.append(tr(N_("Choose a year from the list.")))
    program_id = _whole(values["program"]) if kind is not None and kind.needs_program else None
    if kind is not None and kind.needs_program and program_id not in {
            p.id for p in visible_programs(db, user)}:
        errors.append(tr(N_("Choose the program the beneficiaries join.")))
    upload = upload_of(data, "berkas")
    if upload is None:
        errors.append(tr(N_("Choose a file to upload.")))
    status_code = 400
    if not errors and kind is not None and upload is not None:
        try:
            name = staging.checked_upload(upload[0], upload[1], allow_json=kind.json)
        except UploadRefusedError as exc:
            errors.append(exc.message)
            status_code = 413 if exc.reason == "upload_too_large" else 400
    if errors or kind is None or upload is None:
        return _form_page(request, db, user, values, errors, status_code=status_code)
    staged = staging.stage(user.id, kind.key, name, upload[1], year=year, program_id=program_id)
    outcome = running.preview(request.app.state.engine, staged)
    staged.save_json("preview.json", outcome.as_json())
    return RedirectResponse(f"/impor/{staged.token}", status_code=303)


def _staged(token: str, user: User) -> staging.Staged:
    return staging.load(token, user.id)


def _preview_of(staged: staging.Staged) -> Outcome:
    data = staged.load_json("preview.json")
    if data is None:
        raise NotFoundError("Pratinjau unggahan ini tidak ditemukan; unggah berkasnya lagi.")
    return Outcome.from_json(data)


def _context(staged: staging.Staged, db: SessionDep) -> dict[str, Any]:
    kind = KINDS[staged.kind]
    program = None
    if staged.program_id is not None:
        from mitradesa.mentoring.models import Program

        program = db.get(Program, staged.program_id)
    return {"staged": staged, "kind": kind, "program": program}


@router.get("/impor/{token}")
def import_preview(token: str, request: Request, db: SessionDep,
                   user: CurrentUser) -> Response:
    _may_import(user)
    staged = _staged(token, user)
    if jobs.status(staged) is not None:
        return RedirectResponse(f"/impor/{token}/hasil", status_code=303)
    return render(request, "imports/preview.html",
                  {**_context(staged, db), "outcome": _preview_of(staged)})


@router.get("/impor/{token}/masalah.{fmt}")
def import_problem_report(token: str, fmt: str, user: CurrentUser) -> Response:
    _may_import(user)
    staged = _staged(token, user)
    if fmt not in ("xlsx", "csv"):
        raise NotFoundError("Format laporan ini tidak ada.")
    data = staged.load_json("result.json") or staged.load_json("preview.json")
    if data is None:
        raise NotFoundError("Laporan unggahan ini tidak ditemukan.")
    outcome = Outcome.from_json(data)
    headers = ["berkas", "baris", "masalah"]
    rows = [[p.file, p.row if p.row is not None else "", p.reason] for p in outcome.problems]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"masalah.{fmt}"
        if fmt == "csv":
            write_csv(path, headers, rows)
        else:
            write_xlsx(path, headers, rows, sheet="masalah")
        content = path.read_bytes()
    stem = Path(staged.filename).stem
    media = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="masalah-impor-{stem}.{fmt}"'})


@router.post("/impor/{token}/simpan")
def import_confirm(token: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    _may_import(user)
    staged = _staged(token, user)
    preview = _preview_of(staged)
    if preview.problems:
        raise MitradesaError("Berkas ini masih bermasalah; perbaiki lalu unggah lagi.")
    bind = request.app.state.engine
    # The import has its own session; this request's transaction ends first (it holds only
    # the login check). Tests share one connection between requests: the job then runs in
    # the request, and must not sit inside this request's savepoint.
    db.commit()
    jobs.start(staged, lambda progress: running.apply(bind, staged, progress),
               background=not isinstance(bind, Connection))
    return RedirectResponse(f"/impor/{token}/hasil", status_code=303)


def _state(staged: staging.Staged) -> dict[str, Any]:
    job = jobs.status(staged)
    if job is None:
        return {"state": "not_started", "outcome": None, "job": None}
    return {"state": job.state, "outcome": job.outcome, "job": job}


@router.get("/impor/{token}/hasil")
def import_result(token: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    _may_import(user)
    staged = _staged(token, user)
    state = _state(staged)
    if state["state"] == "not_started":
        return RedirectResponse(f"/impor/{token}", status_code=303)
    return render(request, "imports/result.html", {**_context(staged, db), **state})


@router.get("/impor/{token}/kemajuan")
def import_progress(token: str, request: Request, db: SessionDep,
                    user: CurrentUser) -> Response:
    _may_import(user)
    staged = _staged(token, user)
    return render(request, "imports/_progress.html", {**_context(staged, db), **_state(staged)})
