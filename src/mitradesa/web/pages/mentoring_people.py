"""The beneficiaries of mentoring: UMKM, households and business groups — lists, pages and
registration; an UMKM's permits and photos."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.db.versioning import form_version
from mitradesa.errors import MitradesaError, NotFoundError, PermissionDeniedError
from mitradesa.mentoring import beneficiaries, checks
from mitradesa.mentoring.models import (
    Buyer,
    Enrolment,
    Group,
    GroupMember,
    Household,
    SupplyContract,
    Umkm,
    UmkmPhoto,
)
from mitradesa.mentoring.queries import current_figures, mask_nik
from mitradesa.mentoring.vocab import LEGALITY
from mitradesa.reports.formatting import file_size
from mitradesa.settings import get_settings
from mitradesa.web import table_downloads as downloads
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages import mentoring_downloads
from mitradesa.web.pages.mentoring_forms import (
    Form,
    FormValues,
    blank,
    can_edit,
    is_staff,
    place_names,
    reader,
    see_village,
    show,
    submitted,
    village_choices,
)
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()
LIST_LIMIT = 200
MAX_PHOTO_BYTES = 10 * 1024 * 1024
KINDS = {  # path segment → (kind, model, list title)
    "umkm": ("umkm", Umkm, N_("UMKM")),
    "rumah-tangga": ("household", Household, N_("Households")),
    "kelompok": ("group", Group, N_("Business groups")),
}
PATHS = {kind: segment for segment, (kind, _model, _title) in KINDS.items()}


def photos_dir() -> Path:
    """Where UMKM photos are kept (tests point it elsewhere)."""
    return get_settings().data_dir / "photos"


# ------------------------------------------------------------------ registering


def register_from_form(db: Session, user: User, kind: str, form: Form) -> Any | None:
    """Record a beneficiary from the fields of `_register.html`; None when the form itself
    is wrong (the problems are in `form.errors`). Domain refusals are raised."""
    village = form.v("desa")
    if not village:
        form.errors.append(form.tr(N_("Choose the village.")))
    if kind == "umkm":
        values = {
            "name": form.text("nama_usaha", N_("Business name")),
            "owner_name": form.text("pemilik", N_("Owner")),
            "owner_nik": form.v("nik"), "sector": form.text("bidang", N_("Sector")),
            "products": form.text("produk", N_("Products"), limit=1000),
            "employees": form.amount("tenaga_kerja", N_("Workers")) or 0,
            "capital_rupiah": form.amount("modal", N_("Capital")),
            "monthly_turnover_rupiah": form.amount("omzet", N_("Monthly turnover")),
            **{key: form.text(key, label) for key, label in LEGALITY.items()},
        }
        return _registered(form, village, lambda: beneficiaries.register_umkm(
            db, user, village_code=village, **values))
    if kind == "household":
        values = {
            "kk_number": form.v("no_kk"),
            "head_name": form.text("kepala", N_("Head of household")),
            "head_nik": form.v("nik"), "welfare_class": form.v("kelas"),
            "members": form.amount("anggota", N_("Members"), minimum=1) or 1,
            "p3ke_decile": form.amount("desil", N_("P3KE decile"), minimum=1, maximum=10),
            "monthly_income_rupiah": form.amount("pendapatan", N_("Monthly income")),
        }
        return _registered(form, village, lambda: beneficiaries.register_household(
            db, user, village_code=village, **values))
    values = {
        "name": form.text("nama_kelompok", N_("Group name"), required=True),
        "sector": form.text("bidang", N_("Sector")),
        "products": form.text("produk", N_("Products"), limit=1000),
        "household_ids": form.ids("anggota_rt"), "umkm_ids": form.ids("anggota_umkm"),
    }
    return _registered(form, village, lambda: beneficiaries.create_group(
        db, user, village_code=village, **values))


def _registered(form: Form, village: str, register: Callable[[], Any]) -> Any | None:
    """Run the registration even when the form has problems, so that the domain's problems
    are shown with them at once; None unless everything is right."""
    if not village:
        return None
    try:
        made = register()
    except PermissionDeniedError:
        raise
    except MitradesaError as exc:
        form.fail(exc)
        return None
    return None if form.errors else made


# ------------------------------------------------------------------ lists


def _visible(db: Session, user: User, segment: str, q: str) -> tuple[str, list[Any]]:
    """(the search words, every beneficiary of the list the user may see that they find)."""
    kind, model, _title = KINDS[segment]
    query = select(model).order_by(model.village_code, model.id)
    words = " ".join(q.split())[:100]
    if words:
        like = f"%{words}%"
        name = {"umkm": or_(Umkm.name.ilike(like), Umkm.owner_name.ilike(like)),
                "household": Household.head_name.ilike(like), "group": Group.name.ilike(like)}
        query = query.where(name[kind])
    return words, [b for b in db.scalars(query) if can_see_village(user, b.village_code)]


def _list_context(db: Session, user: User, segment: str, q: str,
                  form: Form | None = None) -> dict[str, Any]:
    kind, _model, title = KINDS[segment]
    words, items = _visible(db, user, segment, q)
    editable = user.role in checks.EDITORS
    villages = village_choices(db, user) if editable else []
    context = {
        "segment": segment, "kind": kind, "title": title, "q": words,
        "items": items[:LIST_LIMIT], "total": len(items), "limit": LIST_LIMIT,
        "names": place_names(db, {b.village_code for b in items[:LIST_LIMIT]}),
        "can_register": editable and bool(villages), "villages": villages,
        "form": form or blank(kelas="prasejahtera", anggota=1),
        "open": form is not None,
    }
    if kind == "group" and editable:
        context["member_households"] = [h for h in db.scalars(select(Household).order_by(
            Household.head_name)) if can_edit(user, h.village_code)]
        context["member_umkm"] = [u for u in db.scalars(select(Umkm).order_by(Umkm.name))
                                  if can_edit(user, u.village_code)]
    return context


def _download(segment: str, request: Request, db: Session, user: User, q: str,
              fmt: str) -> Response:
    """The whole list (not only the first LIST_LIMIT rows) as a file."""
    words, items = _visible(db, user, segment, q)
    names = place_names(db, {b.village_code for b in items})
    kind = KINDS[segment][0]
    table = (mentoring_downloads.umkm_table(items, names, user, words) if kind == "umkm"
             else mentoring_downloads.household_table(items, names, user, words)
             if kind == "household" else mentoring_downloads.group_table(items, names, words))
    return downloads.download(request, table, fmt)


def _list(segment: str, request: Request, db: Session, user: User, q: str) -> Response:
    reader(user)
    fmt = downloads.wanted_format(request)
    if fmt:
        return _download(segment, request, db, user, q, fmt)
    return show(request, "mentoring/beneficiaries.html", _list_context(db, user, segment, q))


def _register(segment: str, request: Request, db: Session, user: User,
              values: dict[str, list[str]]) -> Response:
    reader(user)
    kind = KINDS[segment][0]
    form = submitted(request, values)
    try:
        beneficiary = register_from_form(db, user, kind, form)
    except PermissionDeniedError:
        raise
    except MitradesaError as exc:
        form.fail(exc)
        beneficiary = None
    if beneficiary is None:
        db.rollback()
        context = _list_context(db, user, segment, "", form)
        return show(request, "mentoring/beneficiaries.html", context, status_code=form.status)
    db.commit()
    return RedirectResponse(f"/pendampingan/{segment}/{beneficiary.id}", status_code=303)


Q = Annotated[str, Query(max_length=100)]


@router.get("/pendampingan/umkm")
@cached_page
def mentoring_umkm_list(request: Request, db: SessionDep, user: CurrentUser, q: Q = "") -> Response:
    return _list("umkm", request, db, user, q)


@router.post("/pendampingan/umkm")
def mentoring_register_umkm(
    request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    return _register("umkm", request, db, user, values)


@router.get("/pendampingan/rumah-tangga")
@cached_page
def mentoring_household_list(
    request: Request, db: SessionDep, user: CurrentUser, q: Q = ""
) -> Response:
    return _list("rumah-tangga", request, db, user, q)


@router.post("/pendampingan/rumah-tangga")
def mentoring_register_household(
    request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    return _register("rumah-tangga", request, db, user, values)


@router.get("/pendampingan/kelompok")
@cached_page
def mentoring_group_list(
    request: Request, db: SessionDep, user: CurrentUser, q: Q = ""
) -> Response:
    return _list("kelompok", request, db, user, q)


@router.post("/pendampingan/kelompok")
def mentoring_register_group(
    request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    return _register("kelompok", request, db, user, values)


# ------------------------------------------------------------------ one beneficiary


def get_visible(db: Session, user: User, model: type, key: int, what: str) -> Any:
    found = db.get(model, key)
    if found is None:
        raise NotFoundError(f"{what} nomor {key} tidak ditemukan.")
    see_village(user, found.village_code, what, key)
    return found


def _enrolments_of(db: Session, column: Any, key: int) -> list[Enrolment]:
    return list(db.scalars(select(Enrolment).where(column == key).order_by(
        Enrolment.enrolled_on, Enrolment.id)))


def supplier_context(db: Session, user: User, supplier: Umkm | Group,
                     forms: dict[str, Form] | None = None) -> dict[str, Any]:
    """What the UMKM and group pages share: programs, supply contracts and deliveries."""
    forms = forms or {}
    is_umkm = isinstance(supplier, Umkm)
    column = SupplyContract.umkm_id if is_umkm else SupplyContract.group_id
    contracts = list(db.scalars(select(SupplyContract).where(column == supplier.id).order_by(
        SupplyContract.start_date, SupplyContract.id)))
    editable = can_edit(user, supplier.village_code)
    return {
        "supplier": supplier, "is_umkm": is_umkm,
        "segment": "umkm" if is_umkm else "kelompok",
        "enrolments": _enrolments_of(db, Enrolment.umkm_id if is_umkm else Enrolment.group_id,
                                     supplier.id),
        "contracts": contracts, "can_edit": editable,
        "buyers": list(db.scalars(select(Buyer).order_by(Buyer.name))) if editable else [],
        "names": place_names(db, {supplier.village_code}),
        "contract_form": forms.get("contract") or blank(satuan="kg"),
        "delivery_forms": {k: v for k, v in forms.items() if k.startswith("delivery-")},
        "delivery_form": blank(),
        "is_staff": is_staff(user),
    }


def _household_shown(db: Session, user: User, household_id: int | None) -> Household | None:
    """The owner's household, only when the user may see it: its head's name is personal
    data of another village otherwise."""
    household = db.get(Household, household_id) if household_id else None
    return household if household and can_see_village(user, household.village_code) else None


def umkm_context(db: Session, user: User, umkm: Umkm,
                 forms: dict[str, Form] | None = None) -> dict[str, Any]:
    forms = forms or {}
    photos = list(db.scalars(select(UmkmPhoto).where(UmkmPhoto.umkm_id == umkm.id)
                             .order_by(UmkmPhoto.id)))
    return {
        **supplier_context(db, user, umkm, forms),
        "nik": mask_nik(umkm.owner_nik, user), "photos": photos,
        "household": _household_shown(db, user, umkm.household_id),
        "now": current_figures(db, umkm),
        "edit_form": forms.get("edit") or blank(
            nib=umkm.nib, pirt=umkm.pirt, halal=umkm.halal, bpom=umkm.bpom, bidang=umkm.sector,
            produk=umkm.products, tenaga_kerja=umkm.employees, modal=umkm.capital_rupiah),
        "photo_error": forms.get("photo"),
    }


@router.get("/pendampingan/umkm/{umkm_id}")
@cached_page
def mentoring_umkm(umkm_id: int, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    umkm = get_visible(db, user, Umkm, umkm_id, "UMKM")
    return show(request, "mentoring/umkm.html", umkm_context(db, user, umkm))


@router.post("/pendampingan/umkm/{umkm_id}/ubah")
def mentoring_update_umkm(
    umkm_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    """Permits (NIB, PIRT, halal, BPOM) and the business facts."""
    umkm = get_visible(db, user, Umkm, umkm_id, "UMKM")
    form = submitted(request, values)
    changes = {
        **{key: form.text(key, label, limit=50) for key, label in LEGALITY.items()},
        "sector": form.text("bidang", N_("Sector"), limit=100),
        "products": form.text("produk", N_("Products"), limit=1000),
        "employees": form.amount("tenaga_kerja", N_("Workers")) or 0,
        "capital_rupiah": form.amount("modal", N_("Capital")),
    }
    if not form.errors:
        try:
            beneficiaries.update_umkm(db, user, umkm, **changes,
                                 expected_version=form_version(form.v("versi")))
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            return RedirectResponse(f"/pendampingan/umkm/{umkm.id}?ok=ubah#legalitas",
                                    status_code=303)
    db.rollback()
    context = umkm_context(db, user, umkm, {"edit": form})
    return show(request, "mentoring/umkm.html", context, status_code=form.status)


@router.post("/pendampingan/umkm/{umkm_id}/foto")
def mentoring_upload_umkm_photo(
    umkm_id: int, request: Request, db: SessionDep, user: CurrentUser,
    foto: Annotated[UploadFile | None, File()] = None,
) -> Response:
    umkm = get_visible(db, user, Umkm, umkm_id, "UMKM")
    form = submitted(request, {})
    # Whole: the body limit bounds it, and the refusal states the real size.
    content = foto.file.read() if foto is not None else b""
    if not content:
        form.errors.append(form.tr(N_("Choose a photo (JPEG or PNG) to upload.")))
    elif len(content) > MAX_PHOTO_BYTES:
        form.errors.append(form.tr(N_("The photo is too large (%(size)s); at most %(limit)s."),
                                   size=file_size(len(content)),
                                   limit=file_size(MAX_PHOTO_BYTES)))
    else:
        try:
            beneficiaries.add_umkm_photo(db, user, umkm, filename=foto.filename or "foto",
                                    content=content, store_dir=photos_dir())
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            return RedirectResponse(f"/pendampingan/umkm/{umkm.id}?ok=foto#foto",
                                    status_code=303)
    context = umkm_context(db, user, umkm, {"photo": form})
    return show(request, "mentoring/umkm.html", context, status_code=form.status)


@router.get("/pendampingan/umkm/{umkm_id}/foto/{photo_id}")
def mentoring_umkm_photo(
    umkm_id: int, photo_id: int, db: SessionDep, user: CurrentUser
) -> Response:
    reader(user)
    umkm, photo = db.get(Umkm, umkm_id), db.get(UmkmPhoto, photo_id)
    if (umkm is None or not can_see_village(user, umkm.village_code) or photo is None
            or photo.umkm_id != umkm.id or not Path(photo.stored_path).is_file()):
        raise NotFoundError(f"Foto nomor {photo_id} tidak ditemukan.")
    return FileResponse(photo.stored_path, media_type=photo.content_type)


@router.get("/pendampingan/rumah-tangga/{household_id}")
@cached_page
def mentoring_household(
    household_id: int, request: Request, db: SessionDep, user: CurrentUser
) -> Response:
    home = get_visible(db, user, Household, household_id, "Rumah tangga")
    groups = list(db.scalars(select(Group).join(GroupMember).where(
        GroupMember.household_id == home.id)))
    context = {
        "home": home, "nik": mask_nik(home.head_nik, user), "kk": mask_nik(home.kk_number, user),
        "names": place_names(db, {home.village_code}),
        "enrolments": _enrolments_of(db, Enrolment.household_id, home.id),
        "businesses": [u for u in db.scalars(select(Umkm).where(Umkm.household_id == home.id))
                       if can_see_village(user, u.village_code)],
        "groups": [g for g in groups if can_see_village(user, g.village_code)],
    }
    return show(request, "mentoring/household.html", context)


def group_context(db: Session, user: User, group: Group,
                  forms: dict[str, Form] | None = None) -> dict[str, Any]:
    members = []
    for member in group.members:
        person = (db.get(Household, member.household_id) if member.household_id
                  else db.get(Umkm, member.umkm_id))
        if person is not None and can_see_village(user, person.village_code):
            members.append((member, person))
    return {**supplier_context(db, user, group, forms), "members": members}


@router.get("/pendampingan/kelompok/{group_id}")
@cached_page
def mentoring_group(group_id: int, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    group = get_visible(db, user, Group, group_id, "Kelompok")
    return show(request, "mentoring/group.html", group_context(db, user, group))
