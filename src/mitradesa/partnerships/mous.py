"""Use cases of regency MoUs (nota kesepahaman signed by the Bupati)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.errors import NotFoundError
from mitradesa.partnerships import access
from mitradesa.partnerships.checks import Problems, clean_sectors, date_problems, require
from mitradesa.partnerships.models import Mou
from mitradesa.partnerships.partners import visible_partner
from mitradesa.regions.queries import get_region


def get_mou(session: Session, mou_id: int) -> Mou:
    mou = session.get(Mou, mou_id)
    if mou is None:
        raise NotFoundError(f"Nota kesepahaman nomor {mou_id} tidak ditemukan.")
    return mou


def visible_mou(session: Session, actor: User | None, mou_id: int) -> Mou:
    """The MoU if `actor` may see it; otherwise the same answer as when it does not exist."""
    mou = session.get(Mou, mou_id)
    if mou is None or (actor is not None and not access.can_see_mou(session, actor, mou)):
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
    partners = [visible_partner(session, actor, pid) for pid in dict.fromkeys(partner_ids)]
    region = get_region(session, region_code)
    problems = Problems()
    if not title.strip():
        problems.add("Judul nota kesepahaman wajib diisi.")
    if not partner_ids:
        problems.add("Nota kesepahaman memerlukan sedikitnya satu mitra.")
    for message in date_problems(start_date, end_date, signed_on):
        problems.add(message)
    sectors = problems.attempt(lambda: clean_sectors(scope or [], "Lingkup"))
    problems.raise_if_any()
    mou = Mou(
        title=title.strip(), number=number.strip(), region_code=region.code,
        signatory=signatory.strip(), signed_on=signed_on, start_date=start_date,
        end_date=end_date, scope=sectors or [], notes=notes.strip(),
        demo=demo, created_by=getattr(actor, "id", None),
    )
    mou.partners = partners
    session.add(mou)
    session.flush()
    log(session, "partnerships.mou.created", "mou", mou.id, actor=actor,
        after={"title": mou.title, "partners": [p.name for p in mou.partners]})
    return mou
