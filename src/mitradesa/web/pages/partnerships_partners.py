"""Partner and MoU pages: lists, create forms, a partner's detail with the villages that fit
it, and an MoU with its partners and agreements. A mitra user sees only its own partner."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import MitradesaError
from mitradesa.partnerships import matching, queries, services
from mitradesa.regions import queries as region_queries
from mitradesa.settings import get_settings
from mitradesa.web import table_downloads as downloads
from mitradesa.web.i18n import page_locale
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages import partnership_downloads
from mitradesa.web.pages.partnerships import (
    Form,
    FormDep,
    blank,
    check_anyway,
    done,
    require_role,
    show,
    submitted,
    village_choices,
    visible_mou,
    visible_partner,
)
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()
MATCHES = 20
PARTNER_EDITORS = ("admin", "pendamping")


# ------------------------------------------------------------------ partners


@router.get("/mitra")
@cached_page
def partner_list(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    partners = queries.visible_partners(db, user)
    agreements = queries.visible_agreements(db, user)
    counts = {p.id: sum(p.id in a.partner_ids for a in agreements) for p in partners}
    names = queries.village_names(db, [c for p in partners for c in p.area_codes])
    fmt = downloads.wanted_format(request)
    if fmt:
        table = partnership_downloads.partners_table(partners, counts, names)
        return downloads.download(request, table, fmt)
    return show(request, "partnerships/partners.html", {
        "partners": partners, "counts": counts, "names": names,
        "can_create": user.role in PARTNER_EDITORS,
    })


def _partner_form_context(db: Session, user: User, form: Form) -> dict[str, Any]:
    home = get_settings().home_region
    kecamatan = [r for r in region_queries.children(db, home) if r.kind == "kecamatan"]
    return {"form": form, "kecamatan_options": kecamatan,
            "kecamatan_pairs": [(r.code, r.name) for r in kecamatan],
            "village_options": village_choices(db, user)}


@router.get("/mitra/baru")
def partner_new_form(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    require_role(user, PARTNER_EDITORS, "Hanya DPMD atau pendamping yang mencatat mitra.")
    return show(request, "partnerships/partner_form.html",
                _partner_form_context(db, user, blank(jenis="csr_swasta")))


@router.post("/mitra/baru")
def partner_create(request: Request, db: SessionDep, user: CurrentUser,
                   data: FormDep) -> Response:
    require_role(user, PARTNER_EDITORS, "Hanya DPMD atau pendamping yang mencatat mitra.")
    form = submitted(request, data)
    fields = {
        "name": form.text("nama", N_("Name"), limit=200),
        "kind": form.v("jenis"),
        "sectors": form.all("bidang"),
        "area_codes": form.all("wilayah"),
        "contact_name": form.text("kontak_nama", N_("Contact person"), limit=200),
        "contact_phone": form.text("kontak_telepon", N_("Phone"), limit=50),
        "contact_email": form.text("kontak_email", N_("E-mail"), limit=200),
        "address": form.text("alamat", N_("Address"), limit=500),
        "notes": form.text("catatan", N_("Notes"), lines=True, limit=5000),
    }
    status = 400
    if form.errors:
        check_anyway(db, form, lambda: services.create_partner(db, user, **fields))
    else:
        try:
            partner = services.create_partner(db, user, **fields)
            db.commit()
            return done(f"/mitra/{partner.id}", "baru")
        except MitradesaError as exc:
            db.rollback()
            form.fail(exc)
            status = exc.status
    return show(request, "partnerships/partner_form.html",
                _partner_form_context(db, user, form), status_code=status)


@router.get("/mitra/{partner_id}")
@cached_page
def partner_page(partner_id: int, request: Request, db: SessionDep,
                 user: CurrentUser) -> Response:
    partner = visible_partner(db, user, partner_id)
    agreements = queries.visible_agreements(db, user, partner_id=partner.id)
    matches = matching.villages_for_partner(db, partner, limit=MATCHES,
                                            locale=page_locale(request))
    codes = [*partner.area_codes, *(c for a in agreements for c in a.village_codes)]
    return show(request, "partnerships/partner.html", {
        "partner": partner,
        "agreements": agreements,
        "matches": matches,
        "linkable": {m.village_code for m in matches if can_see_village(user, m.village_code)},
        "names": queries.village_names(db, codes),
        "mous": [m for m in queries.visible_mous(db, user) if partner in m.partners],
    })


# ------------------------------------------------------------------ MoUs


@router.get("/kerja-sama/mou")
@cached_page
def mou_list(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    mous = queries.visible_mous(db, user)
    agreements = queries.visible_agreements(db, user)
    counts = {m.id: sum(a.mou_id == m.id for a in agreements) for m in mous}
    fmt = downloads.wanted_format(request)
    if fmt:
        return downloads.download(request, partnership_downloads.mous_table(mous, counts), fmt)
    return show(request, "partnerships/mous.html", {
        "mous": mous, "counts": counts, "can_create": user.role == "admin",
    })


def _mou_form_context(db: Session, user: User, form: Form) -> dict[str, Any]:
    return {"form": form, "partner_options": queries.visible_partners(db, user)}


@router.get("/kerja-sama/mou/baru")
def mou_new_form(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    require_role(user, ("admin",), "Hanya admin DPMD yang mencatat MoU.")
    form = blank(wilayah=get_settings().home_region, penandatangan="Bupati")
    return show(request, "partnerships/mou_form.html", _mou_form_context(db, user, form))


@router.post("/kerja-sama/mou/baru")
def mou_create(request: Request, db: SessionDep, user: CurrentUser, data: FormDep) -> Response:
    require_role(user, ("admin",), "Hanya admin DPMD yang mencatat MoU.")
    form = submitted(request, data)
    fields = {
        "title": form.text("judul", N_("Title")),
        "number": form.text("nomor", N_("Number"), limit=100),
        "region_code": form.text("wilayah", N_("Region code"), required=True, limit=30),
        "signatory": form.text("penandatangan", N_("Signed by"), limit=200),
        "signed_on": form.day("tanda_tangan", N_("Signing date")),
        "start_date": form.day("mulai", N_("Start date")),
        "end_date": form.day("selesai", N_("End date")),
        "scope": form.all("lingkup"),
        "partner_ids": form.ids("mitra"),
        "notes": form.text("catatan", N_("Notes"), lines=True, limit=5000),
    }
    status = 400
    if form.errors:
        check_anyway(db, form, lambda: services.create_mou(db, user, **fields))
    else:
        try:
            mou = services.create_mou(db, user, **fields)
            db.commit()
            return done(f"/kerja-sama/mou/{mou.id}", "baru")
        except MitradesaError as exc:
            db.rollback()
            form.fail(exc)
            status = exc.status
    return show(request, "partnerships/mou_form.html", _mou_form_context(db, user, form),
                status_code=status)


@router.get("/kerja-sama/mou/{mou_id}")
@cached_page
def mou_page(mou_id: int, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    mou = visible_mou(db, user, mou_id)
    agreements = [a for a in queries.visible_agreements(db, user) if a.mou_id == mou.id]
    region = region_queries.get_region(db, mou.region_code)
    return show(request, "partnerships/mou.html", {
        "mou": mou, "region": region, "agreements": agreements,
        "names": queries.village_names(db, [c for a in agreements for c in a.village_codes]),
        "visible_partner_ids": {p.id for p in queries.visible_partners(db, user)},
    })
