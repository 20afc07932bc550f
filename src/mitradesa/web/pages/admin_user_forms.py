"""The admin's forms to create an account (`/admin/pengguna/baru`) and to change its name,
e-mail, role and scope (`/admin/pengguna/{username}/ubah`). The scope is chosen from the home
regency's kecamatan and/or typed as codes; the page names every region back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts import editing, management
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.models import ROLES, User
from mitradesa.accounts.password_rule import RULE_TEXT
from mitradesa.errors import MitradesaError
from mitradesa.partnerships.access import partner_of
from mitradesa.partnerships.models import Partner
from mitradesa.regions import queries as region_queries
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.regions.search import search_regions
from mitradesa.settings import get_settings
from mitradesa.web.account_words import ROLE_LABELS
from mitradesa.web.pages.partnerships import Form, FormDep, blank, submitted
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import KIND_LABELS, N_, render

router = APIRouter()
SEARCH_HITS = 8
SCOPE_KINDS = ("kecamatan", *VILLAGE_KINDS)
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class ScopeRow:
    """One region of a user's scope as the page names it."""

    code: str
    name: str
    kind: str
    villages: int  # villages it covers (1 for a village)


def scope_label(db: Session, region: Region) -> str:
    """"Desa Sepatin, Kec. Anggana" — a village with its kecamatan, to tell namesakes apart."""
    label = f"{KIND_LABELS.get(region.kind, region.kind)} {region.name}"
    if region.kind in VILLAGE_KINDS and region.parent_code:
        parent = db.get(Region, region.parent_code)
        if parent is not None:
            label += f", Kec. {parent.name}"
    return label


def scope_rows(db: Session, codes: list[str]) -> list[ScopeRow]:
    rows: list[ScopeRow] = []
    for code in codes:
        region = db.get(Region, code)
        if region is None:
            continue
        count = 1 if region.kind in VILLAGE_KINDS else sum(
            n for kind, n in region_queries.count_by_kind(db, code).items()
            if kind in VILLAGE_KINDS)
        rows.append(ScopeRow(region.code, region.name, region.kind, count))
    return rows


def _kecamatan(db: Session) -> list[Region]:
    home = get_settings().home_region
    return [r for r in region_queries.children(db, home) if r.kind == "kecamatan"]


def _partners(db: Session) -> list[Partner]:
    return list(db.scalars(select(Partner).where(Partner.active.is_(True))
                           .order_by(Partner.name)))


def _context(db: Session, form: Form, **extra: Any) -> dict[str, Any]:
    kecamatan = _kecamatan(db)
    picked = [r for r in (db.get(Region, c) for c in form.all("wilayah_pilih")) if r]
    return {"form": form, "roles": ROLES, "ROLE_LABELS": ROLE_LABELS,
            "kecamatan_options": sorted(((r.code, r.name) for r in kecamatan),
                                        key=lambda pair: pair[1]),
            "picked": [(r.code, scope_label(db, r)) for r in picked],
            "partners": _partners(db), "rule": RULE_TEXT, **extra}


def _scope_codes(form: Form) -> list[str]:
    typed = [c for c in _SEPARATORS.split(form.v("kode_wilayah")) if c]
    return [*form.all("kecamatan"), *form.all("wilayah_pilih"), *typed]


@router.get("/admin/pengguna/cari-wilayah")
def admin_scope_search(request: Request, db: SessionDep,
                       cari_wilayah: Annotated[str, Query(max_length=100)] = "") -> Response:
    """The account form's region search (htmx): kecamatan and villages by name, each with a
    button that adds it to the chosen scope."""
    hits: list[tuple[str, str]] = []
    if len(cari_wilayah.strip()) >= 2:  # the home regency first, then everywhere
        home = get_settings().home_region
        found = search_regions(db, cari_wilayah, within=home, limit=SEARCH_HITS * 3) or (
            search_regions(db, cari_wilayah, prefer=home, limit=SEARCH_HITS * 3))
        for hit in found:
            region = db.get(Region, hit.code)
            if region is not None and region.active and region.kind in SCOPE_KINDS:
                hits.append((region.code, scope_label(db, region)))
            if len(hits) == SEARCH_HITS:
                break
    return render(request, "accounts/_scope_hits.html",
                  {"hits": hits, "query": cari_wilayah.strip()})


@router.get("/admin/pengguna/pilih-wilayah")
def admin_scope_pick(request: Request, db: SessionDep,
                     kode: Annotated[str, Query(max_length=30)]) -> Response:
    """One chosen region as a ticked box of the form (htmx)."""
    region = region_queries.get_region(db, kode)
    return render(request, "accounts/_scope_pick.html",
                  {"code": region.code, "label": scope_label(db, region)})


def _partner(db: Session, form: Form) -> Partner | None:
    raw = form.v("mitra_id").strip()
    if not raw.isdigit():
        return None
    return db.get(Partner, int(raw))


@router.get("/admin/pengguna/baru")
def admin_new_user_form(request: Request, db: SessionDep) -> Response:
    return render(request, "accounts/user_form.html",
                  _context(db, blank(peran="pendamping", sandi_cara="buat", wajib_ganti="1")))


@router.post("/admin/pengguna/baru")
def admin_create_user(request: Request, db: SessionDep, admin: CurrentUser,
                      data: FormDep) -> Response:
    """Creates the account; a generated password is shown on this answer only."""
    form = submitted(request, data)
    full_name = form.text("nama_lengkap", N_("Full name"), limit=200)
    try:
        if form.errors:
            raise AccountInputError(form.errors.pop())
        user, password = editing.create_account(
            db, actor=admin, username=form.v("nama_pengguna"), role=form.v("peran"),
            full_name=full_name, email=form.v("email"), scope_codes=_scope_codes(form),
            partner=_partner(db, form),
            password=form.v("sandi") if form.v("sandi_cara") == "ketik" else None,
            must_change=form.has("wajib_ganti", "1"))
        db.commit()
    except MitradesaError as exc:
        db.rollback()
        form.fail(exc)
        return render(request, "accounts/user_form.html", _context(db, form),
                      status_code=_status(exc))
    if password is None:
        return RedirectResponse(f"/admin/pengguna/{user.username}?selesai=dibuat",
                                status_code=303)
    return render(request, "accounts/user_created.html", {
        "account": user, "new_password": password, "ROLE_LABELS": ROLE_LABELS,
        "scope": scope_rows(db, user.scope_codes)})


def _status(error: MitradesaError) -> int:
    """A refused form answers 400 (409 for a taken username), also when a typed region code
    does not exist: the page is there, what was typed is wrong."""
    return 409 if error.status == 409 else 400


def _edit_form(db: Session, user: User) -> Form:
    kecamatan = {r.code for r in _kecamatan(db)}
    ticked = [c for c in user.scope_codes if c in kecamatan]
    typed = [c for c in user.scope_codes if c not in kecamatan]
    member = partner_of(db, user)
    return blank(nama_lengkap=user.full_name, email=user.email, peran=user.role,
                 kecamatan=ticked, kode_wilayah=", ".join(typed),
                 mitra_id=member if member is not None else None)


@router.get("/admin/pengguna/{username}/ubah")
def admin_edit_user_form(username: str, request: Request, db: SessionDep) -> Response:
    user = management.find_user(db, username)
    return render(request, "accounts/user_form.html",
                  _context(db, _edit_form(db, user), account=user))


@router.post("/admin/pengguna/{username}/ubah")
def admin_edit_user(username: str, request: Request, db: SessionDep, admin: CurrentUser,
                    data: FormDep) -> Response:
    user = management.find_user(db, username)
    form = submitted(request, data)
    full_name = form.text("nama_lengkap", N_("Full name"), limit=200)
    try:
        if form.errors:
            raise AccountInputError(form.errors.pop())
        editing.update_user(
            db, user, actor=admin, full_name=full_name,
            email=form.v("email"), role=form.v("peran"), scope_codes=_scope_codes(form),
            partner=_partner(db, form))
        db.commit()
    except MitradesaError as exc:
        db.rollback()
        form.fail(exc)
        return render(request, "accounts/user_form.html", _context(db, form, account=user),
                      status_code=_status(exc))
    return RedirectResponse(f"/admin/pengguna/{user.username}?selesai=diubah", status_code=303)
