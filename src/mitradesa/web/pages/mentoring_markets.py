"""Markets of mentored businesses: buyers, supply contracts and deliveries; an UMKM's success
story; and who is served by several programs or by none."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import MitradesaError, NotFoundError, PermissionDeniedError
from mitradesa.mentoring import markets, queries
from mitradesa.mentoring.models import Buyer, Group, SupplyContract, Umkm
from mitradesa.mentoring.queries import mask_nik
from mitradesa.mentoring.vocab import LEGALITY
from mitradesa.web import table_downloads as downloads
from mitradesa.web.i18n import page_locale
from mitradesa.web.pages import mentoring_downloads
from mitradesa.web.pages.mentoring_forms import (
    Form,
    FormValues,
    blank,
    is_staff,
    place_names,
    reader,
    show,
    submitted,
)
from mitradesa.web.pages.mentoring_people import get_visible, group_context, umkm_context
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()


# ------------------------------------------------------------------ buyers


def _buyers_context(db: Session, user: User, form: Form | None = None) -> dict[str, Any]:
    buyers = list(db.scalars(select(Buyer).order_by(Buyer.name)))
    contracts = list(db.scalars(select(SupplyContract)))
    supplied: dict[int, dict[str, int]] = {}
    for contract in contracts:
        supplier = db.get(Umkm, contract.umkm_id) if contract.umkm_id else \
            db.get(Group, contract.group_id)
        if supplier is None or not can_see_village(user, supplier.village_code):
            continue
        entry = supplied.setdefault(contract.buyer_id, {"contracts": 0, "value": 0})
        entry["contracts"] += 1
        entry["value"] += sum(d.value_rupiah for d in contract.deliveries)
    return {"buyers": buyers, "supplied": supplied, "can_create": is_staff(user),
            "form": form or blank(jenis="hotel"), "open": form is not None}


@router.get("/pendampingan/pembeli")
def mentoring_buyers(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    reader(user)
    context = _buyers_context(db, user)
    fmt = downloads.wanted_format(request)
    if fmt:
        table = mentoring_downloads.buyer_table(context["buyers"], context["supplied"],
                                                downloads.gettext_for(request))
        return downloads.download(request, table, fmt)
    return show(request, "mentoring/buyers.html", context)


@router.post("/pendampingan/pembeli")
def mentoring_create_buyer(
    request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    reader(user)
    form = submitted(request, values)
    try:
        markets.create_buyer(
            db, user, name=form.text("nama", N_("Buyer name")), kind=form.v("jenis"),
            address=form.text("alamat", N_("Address")),
            contact=form.text("kontak", N_("Contact"), limit=200))
    except PermissionDeniedError:
        raise
    except MitradesaError as exc:
        form.fail(exc)
    if form.errors:
        db.rollback()
        return show(request, "mentoring/buyers.html", _buyers_context(db, user, form),
                    status_code=form.status)
    db.commit()
    return RedirectResponse("/pendampingan/pembeli?ok=pembeli", status_code=303)


# ------------------------------------------------------------------ contracts and deliveries


def _supplier_page(request: Request, db: Session, user: User, supplier: Umkm | Group,
                   forms: dict[str, Form]) -> Response:
    db.rollback()
    status = max(form.status for form in forms.values())
    if isinstance(supplier, Umkm):
        return show(request, "mentoring/umkm.html", umkm_context(db, user, supplier, forms),
                    status_code=status)
    return show(request, "mentoring/group.html", group_context(db, user, supplier, forms),
                status_code=status)


def _create_contract(request: Request, db: Session, user: User, supplier: Umkm | Group,
                     values: dict[str, list[str]]) -> Response:
    form = submitted(request, values)
    buyer = form.ids("pembeli")
    start = form.day("mulai", N_("Start date"))
    end = form.day("selesai", N_("End date"), required=False)
    price = form.amount("harga", N_("Price per unit"), required=True)
    volume = form.amount("volume", N_("Volume per month"))
    if not buyer:
        form.errors.append(form.tr(N_("Choose the buyer.")))
    segment = "umkm" if isinstance(supplier, Umkm) else "kelompok"
    if buyer and start is not None:
        try:  # even when the form has problems: every problem is shown at once
            markets.create_contract(
                db, user, buyer_id=buyer[0], product=form.text("produk", N_("Product")),
                unit=form.text("satuan", N_("Unit"), limit=30), price_rupiah=price or 0,
                volume_per_month=volume, start_date=start, end_date=end,
                **{"umkm_id" if segment == "umkm" else "group_id": supplier.id})
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        if not form.errors:
            db.commit()
            return RedirectResponse(f"/pendampingan/{segment}/{supplier.id}?ok=kontrak#kontrak",
                                    status_code=303)
    return _supplier_page(request, db, user, supplier, {"contract": form})


@router.post("/pendampingan/umkm/{umkm_id}/kontrak")
def mentoring_umkm_contract(
    umkm_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    umkm = get_visible(db, user, Umkm, umkm_id, "UMKM")
    return _create_contract(request, db, user, umkm, values)


@router.post("/pendampingan/kelompok/{group_id}/kontrak")
def mentoring_group_contract(
    group_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    group = get_visible(db, user, Group, group_id, "Kelompok")
    return _create_contract(request, db, user, group, values)


@router.post("/pendampingan/kontrak/{contract_id}/pengiriman")
def mentoring_record_delivery(
    contract_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    reader(user)
    contract = db.get(SupplyContract, contract_id)
    supplier = None if contract is None else (
        db.get(Umkm, contract.umkm_id) if contract.umkm_id else db.get(Group, contract.group_id))
    if supplier is None or not can_see_village(user, supplier.village_code):
        raise NotFoundError(f"Kontrak pasok nomor {contract_id} tidak ditemukan.")
    form = submitted(request, values)
    on = form.day("tanggal", N_("Delivery date"))
    volume = form.amount("volume", N_("Volume"), required=True, minimum=1)
    value = form.amount("nilai", N_("Value"), required=True)
    if not form.errors and on is not None and volume is not None and value is not None:
        try:
            markets.record_delivery(db, user, contract, delivered_on=on, volume=volume,
                                     value_rupiah=value)
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            segment = "umkm" if isinstance(supplier, Umkm) else "kelompok"
            return RedirectResponse(
                f"/pendampingan/{segment}/{supplier.id}?ok=kirim#kontrak-{contract.id}",
                status_code=303)
    return _supplier_page(request, db, user, supplier, {f"delivery-{contract.id}": form})


# ------------------------------------------------------------------ the success story


@router.get("/pendampingan/umkm/{umkm_id}/kisah-sukses")
def mentoring_success_story(
    umkm_id: int, request: Request, db: SessionDep, user: CurrentUser
) -> Response:
    """Baseline against now, programs and stages, buyers, deliveries and permits — only what
    the records say."""
    umkm = get_visible(db, user, Umkm, umkm_id, "UMKM")
    story = queries.success_story(db, umkm)
    buyers: dict[int, dict[str, Any]] = {}
    for contract in story.contracts:
        entry = buyers.setdefault(contract.buyer_id, {
            "buyer": contract.buyer, "products": [], "volume": {}, "value": 0, "since": None})
        entry["products"].append(contract.product)
        entry["volume"][contract.unit] = entry["volume"].get(contract.unit, 0) + sum(
            d.volume for d in contract.deliveries)
        entry["value"] += sum(d.value_rupiah for d in contract.deliveries)
        entry["since"] = min(filter(None, (entry["since"], contract.start_date)))
    before = story.baseline.monthly_turnover_rupiah if story.baseline else None
    after = story.latest.monthly_turnover_rupiah if story.latest else None
    locale = "id_ID" if page_locale(request) == "id" else "en"
    context = {
        "factor": format_decimal(round(after / before, 1), locale=locale)
        if before and after and after != before else None,
        "story": story, "umkm": umkm, "buyers": list(buyers.values()),
        "names": place_names(db, {umkm.village_code}),
        "permits": [(LEGALITY[key], getattr(umkm, key)) for key in LEGALITY],
        "demo": umkm.demo or any(e.program.demo for e in story.programs)
                or any(c.buyer.demo for c in story.contracts),
    }
    return show(request, "mentoring/story.html", context)


# ------------------------------------------------------------------ duplication and gaps


def _masked_key(key: str, user: User) -> str:
    label, _space, number = key.partition(" ")
    return f"{label} {mask_nik(number, user)}"


@router.get("/pendampingan/duplikasi")
def mentoring_duplicates(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """People served by several programs at once, and prasejahtera households no program
    reaches."""
    reader(user)
    several = [p for p in queries.served_by_several(db)
               if any(can_see_village(user, v) for v in p.villages)]
    unreached = [h for h in queries.unreached_prasejahtera(db)
                 if can_see_village(user, h.village_code)]
    codes = {v for p in several for v in p.villages} | {h.village_code for h in unreached}
    context = {
        "several": [(_masked_key(p.key, user), p) for p in several],
        "unreached": [(h, mask_nik(h.kk_number, user)) for h in unreached],
        "names": place_names(db, codes),
    }
    return show(request, "mentoring/duplicates.html", context)
