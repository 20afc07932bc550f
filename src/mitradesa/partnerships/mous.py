"""Use cases of regency MoUs (nota kesepahaman signed by the Bupati)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.errors import NotFoundError
from mitradesa.partnerships.checks import check_dates, clean_sectors, require
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.models import Mou
from mitradesa.partnerships.partners import get_partner
from mitradesa.regions.queries import get_region


def get_mou(session: Session, mou_id: int) -> Mou:
    mou = session.get(Mou, mou_id)
    if mou is None:
        raise NotFoundError(f"Nota kesepahaman nomor {mou_id} tidak ditemukan.")
    return mou


def create_mou(
    session: Session, actor: User | None, *, title: str, region_code: str,
    partner_ids: list[int], number: str = "", signatory: str = "",
    signed_on: date | None = None, start_date: date | None = None,
    end_date: date | None = None, scope: list[str] | None = None, notes: str = "",
    demo: bool = False,
) -> Mou:
    require(actor is None or actor.role == "admin", "Hanya admin DPMD yang mencatat MoU.")
    if not title.strip():
        raise PartnershipError("Judul nota kesepahaman wajib diisi.")
    if not partner_ids:
        raise PartnershipError("Nota kesepahaman memerlukan sedikitnya satu mitra.")
    check_dates(start_date, end_date)
    region = get_region(session, region_code)
    mou = Mou(
        title=title.strip(), number=number.strip(), region_code=region.code,
        signatory=signatory.strip(), signed_on=signed_on, start_date=start_date,
        end_date=end_date, scope=clean_sectors(scope or [], "Lingkup"), notes=notes.strip(),
        demo=demo, created_by=getattr(actor, "id", None),
    )
    mou.partners = [get_partner(session, pid) for pid in dict.fromkeys(partner_ids)]
    session.add(mou)
    session.flush()
    log(session, "partnerships.mou.created", "mou", mou.id, actor=actor,
        after={"title": mou.title, "partners": [p.name for p in mou.partners]})
    return mou
