"""Markets of mentored businesses: buyers, supply contracts with one UMKM or group, and the
deliveries made under them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.errors import PermissionDeniedError
from mitradesa.mentoring.checks import (
    Problems,
    checked_contact,
    get_or_404,
    in_scope,
    may_edit_village,
    not_negative,
)
from mitradesa.mentoring.errors import MentoringError
from mitradesa.mentoring.models import Buyer, Delivery, Group, SupplyContract, Umkm
from mitradesa.mentoring.vocab import BUYER_KINDS
from mitradesa.reports.formatting import long_date


def create_buyer(
    session: Session, actor: User | None, *, name: str, kind: str, address: str = "",
    contact: str = "", demo: bool = False,
) -> Buyer:
    if actor is not None and actor.role not in ("admin", "pendamping"):
        raise PermissionDeniedError("Hanya pendamping yang mencatat pembeli.")
    problems = Problems()
    if not name.strip():
        problems.add("Nama pembeli wajib diisi.")
    if kind not in BUYER_KINDS:
        problems.add(f"Jenis pembeli “{kind}” tidak dikenal; pilih dari: "
                     f"{', '.join(BUYER_KINDS)}.")
    with problems.checking():
        contact = checked_contact(contact, "Kontak")
    problems.raise_any()
    buyer = Buyer(name=name.strip(), kind=kind, address=address.strip(),
                  contact=contact.strip(), demo=demo, created_by=getattr(actor, "id", None))
    session.add(buyer)
    session.flush()
    log(session, "mentoring.buyer.created", "buyer", buyer.id, actor=actor,
        after={"name": buyer.name})
    return buyer


def create_contract(
    session: Session, actor: User | None, *, buyer_id: int, product: str, start_date: date,
    price_rupiah: int, unit: str = "kg", volume_per_month: int | None = None,
    end_date: date | None = None, umkm_id: int | None = None, group_id: int | None = None,
) -> SupplyContract:
    if (umkm_id is None) == (group_id is None):
        raise MentoringError("Kontrak pasok dibuat untuk satu UMKM atau satu kelompok.")
    supplier = (in_scope(session, actor, Umkm, umkm_id, "UMKM") if umkm_id is not None
                else in_scope(session, actor, Group, group_id, "Kelompok"))
    may_edit_village(actor, supplier.village_code)
    get_or_404(session, Buyer, buyer_id, "Pembeli")
    problems = Problems()
    if end_date and end_date < start_date:
        problems.add(f"Tanggal selesai kontrak {long_date(end_date)} sebelum tanggal mulai "
                     f"{long_date(start_date)}.")
    if not product.strip():
        problems.add("Produk yang dipasok wajib diisi.")
    for value, what in ((price_rupiah, "Harga"), (volume_per_month, "Volume")):
        with problems.checking():
            not_negative(value, what)
    problems.raise_any()
    contract = SupplyContract(
        buyer_id=buyer_id, umkm_id=umkm_id, group_id=group_id, product=product.strip(),
        unit=unit.strip() or "kg", price_rupiah=not_negative(price_rupiah, "Harga") or 0,
        volume_per_month=not_negative(volume_per_month, "Volume"), start_date=start_date,
        end_date=end_date, created_by=getattr(actor, "id", None),
    )
    session.add(contract)
    session.flush()
    log(session, "mentoring.contract.created", "contract", contract.id, actor=actor,
        after={"buyer": buyer_id, "product": contract.product})
    return contract


def record_delivery(
    session: Session, actor: User | None, contract: SupplyContract, *, delivered_on: date,
    volume: int, value_rupiah: int,
) -> Delivery:
    supplier_village = (contract.umkm_id and session.get(Umkm, contract.umkm_id).village_code) \
        or session.get(Group, contract.group_id).village_code
    may_edit_village(actor, supplier_village)
    if volume <= 0:
        raise MentoringError("Volume pengiriman harus lebih dari 0.")
    delivery = Delivery(contract_id=contract.id, delivered_on=delivered_on, volume=volume,
                        value_rupiah=not_negative(value_rupiah, "Nilai") or 0,
                        created_by=getattr(actor, "id", None))
    contract.deliveries.append(delivery)
    session.flush()
    log(session, "mentoring.delivery.recorded", "contract", contract.id, actor=actor,
        after={"volume": volume, "value_rupiah": value_rupiah})
    return delivery
