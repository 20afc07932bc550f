"""Mentoring API, markets: buyers, supply contracts and their deliveries, and an UMKM's
success story. The same rules as `web.api.mentoring`: outside the user's scope answers 404,
a mitra account sees none of it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from mitradesa.accounts.models import User
from mitradesa.errors import NotFoundError
from mitradesa.mentoring import markets, queries
from mitradesa.mentoring.models import Buyer, Group, SupplyContract, Umkm
from mitradesa.web.api.mentoring import ERRORS, reader, sees, umkm_read, visible
from mitradesa.web.api.mentoring_schemas import (
    BuyerCreate,
    BuyerRead,
    ContractCreate,
    ContractRead,
    DeliveryCreate,
    DeliveryRead,
    StoryProgramRead,
    SuccessStoryRead,
)
from mitradesa.web.security import CurrentUser, SessionDep

router = APIRouter(tags=["mentoring"], responses=ERRORS)


def _contract(db: SessionDep, user: User, contract_id: int) -> SupplyContract:
    contract = db.get(SupplyContract, contract_id)
    if contract is None or not sees(user, _supplier_village(db, contract)):
        raise NotFoundError(f"Kontrak pasok nomor {contract_id} tidak ditemukan.")
    return contract


def _supplier_village(db: SessionDep, contract: SupplyContract) -> str:
    supplier = (db.get(Umkm, contract.umkm_id) if contract.umkm_id is not None
                else db.get(Group, contract.group_id))
    return supplier.village_code


def _buyer_read(buyer: Buyer) -> BuyerRead:
    return BuyerRead(id=buyer.id, nama=buyer.name, jenis=buyer.kind, alamat=buyer.address,
                     kontak=buyer.contact, demo=buyer.demo)


def _contract_read(contract: SupplyContract) -> ContractRead:
    return ContractRead(
        id=contract.id, pembeli_id=contract.buyer_id, pembeli=contract.buyer.name,
        umkm_id=contract.umkm_id, kelompok_id=contract.group_id, produk=contract.product,
        satuan=contract.unit, harga_rupiah=contract.price_rupiah,
        volume_per_bulan=contract.volume_per_month, mulai=contract.start_date,
        selesai=contract.end_date, volume_terkirim=sum(d.volume for d in contract.deliveries),
        nilai_terkirim_rupiah=sum(d.value_rupiah for d in contract.deliveries),
    )


def _delivery_read(delivery: Any) -> DeliveryRead:
    return DeliveryRead(id=delivery.id, kontrak_id=delivery.contract_id,
                        tanggal=delivery.delivered_on, volume=delivery.volume,
                        nilai_rupiah=delivery.value_rupiah)


@router.get("/umkm/{umkm_id}/success-story", response_model=SuccessStoryRead)
def api_success_story(umkm_id: int, db: SessionDep, user: CurrentUser) -> SuccessStoryRead:
    """Baseline against now, programs and stages, buyers and deliveries, permits — only what
    the records say."""
    umkm = visible(db, user, Umkm, umkm_id, "UMKM")
    story = queries.success_story(db, umkm)
    return SuccessStoryRead(
        umkm=umkm_read(umkm, user), baseline=queries.outcome_figures(story.baseline),
        terbaru=queries.outcome_figures(story.latest),
        program=[StoryProgramRead(
            program_id=e.program_id, program=e.program.name, peserta_id=e.id, tahap=e.stage,
            nama_tahap=e.program.stages[e.stage - 1], status=e.status, terdaftar=e.enrolled_on,
            keluar=e.left_on) for e in story.programs],
        kontrak=[_contract_read(c) for c in story.contracts],
        nilai_terkirim_rupiah=story.delivered_value, volume_terkirim=story.delivered_volume,
        legalitas={k: getattr(umkm, k) for k in ("nib", "pirt", "halal", "bpom")
                   if getattr(umkm, k)},
        demo=umkm.demo or any(e.program.demo for e in story.programs),
    )


# ------------------------------------------------------------------ markets


@router.get("/buyers", response_model=list[BuyerRead])
def api_buyers(db: SessionDep, user: CurrentUser) -> list[BuyerRead]:
    """Buyers (hotels, shops, government canteens, exporters) by name."""
    if not reader(user):
        return []
    return [_buyer_read(b) for b in db.scalars(select(Buyer).order_by(Buyer.name))]


@router.post("/buyers", response_model=BuyerRead, status_code=201)
def api_create_buyer(body: BuyerCreate, db: SessionDep, user: CurrentUser) -> BuyerRead:
    buyer = markets.create_buyer(db, user, name=body.nama, kind=body.jenis,
                                  address=body.alamat, contact=body.kontak)
    db.commit()
    return _buyer_read(buyer)


@router.get("/contracts", response_model=list[ContractRead])
def api_contracts(
    db: SessionDep, user: CurrentUser,
    umkm_id: int | None = Query(None, description="Only contracts of this UMKM"),
    pembeli_id: int | None = Query(None, description="Only contracts with this buyer"),
) -> list[ContractRead]:
    """Supply contracts of suppliers in the user's scope, with what was delivered."""
    query = select(SupplyContract).order_by(SupplyContract.start_date, SupplyContract.id)
    if umkm_id is not None:
        query = query.where(SupplyContract.umkm_id == umkm_id)
    if pembeli_id is not None:
        query = query.where(SupplyContract.buyer_id == pembeli_id)
    return [_contract_read(c) for c in db.scalars(query)
            if sees(user, _supplier_village(db, c))]


@router.post("/contracts", response_model=ContractRead, status_code=201)
def api_create_contract(body: ContractCreate, db: SessionDep, user: CurrentUser) -> ContractRead:
    """A supply contract between a buyer and one UMKM or group."""
    contract = markets.create_contract(
        db, user, buyer_id=body.pembeli_id, umkm_id=body.umkm_id, group_id=body.kelompok_id,
        product=body.produk, unit=body.satuan, price_rupiah=body.harga_rupiah,
        volume_per_month=body.volume_per_bulan, start_date=body.mulai, end_date=body.selesai,
    )
    db.commit()
    db.refresh(contract)
    return _contract_read(contract)


@router.get("/contracts/{contract_id}/deliveries", response_model=list[DeliveryRead])
def api_deliveries(contract_id: int, db: SessionDep, user: CurrentUser) -> list[DeliveryRead]:
    return [_delivery_read(d) for d in _contract(db, user, contract_id).deliveries]


@router.post("/contracts/{contract_id}/deliveries", response_model=DeliveryRead,
             status_code=201)
def api_create_delivery(
    contract_id: int, body: DeliveryCreate, db: SessionDep, user: CurrentUser
) -> DeliveryRead:
    delivery = markets.record_delivery(
        db, user, _contract(db, user, contract_id), delivered_on=body.tanggal,
        volume=body.volume, value_rupiah=body.nilai_rupiah,
    )
    db.commit()
    return _delivery_read(delivery)
