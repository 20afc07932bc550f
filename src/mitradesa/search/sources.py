"""One function per kind of record: the hits a user may see, each checked against the user's
role and location scope before it is returned."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import UNSCOPED_WHEN_EMPTY, can_see_region, can_see_village
from mitradesa.db.codes import under
from mitradesa.masking import number_for
from mitradesa.mentoring.models import Group, Household, Umkm
from mitradesa.partnerships import access
from mitradesa.partnerships.models import Agreement, Mou, Partner
from mitradesa.partnerships.vocab import PARTNER_KINDS, STAGES
from mitradesa.regions.codes import is_within
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.regions.names import normalize_name
from mitradesa.regions.queries import ancestors
from mitradesa.regions.search import search_regions
from mitradesa.search.hits import Hit, name_score
from mitradesa.settings import get_settings

CANDIDATES = 500  # rows read per kind before ranking


def _words(query: str) -> list[str]:
    return [w for w in normalize_name(query).split() if w][:8]


def _like(column: Any, word: str) -> ColumnElement[bool]:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _every_word(query: str, *columns: Any) -> list[ColumnElement[bool]]:
    """Each word of the query in one of the columns."""
    return [or_(*(_like(c, w) for c in columns)) for w in _words(query)]


def _overlaps(code: str, within: str | None) -> bool:
    return within is None or is_within(code, within) or is_within(within, code)


def _in_place(code: str, within: str | None) -> bool:
    return within is None or is_within(code, within)


def _scope_filter(user: User, column: Any) -> list[ColumnElement[bool]]:
    """The SQL form of `can_see_village` for a village column (each hit is checked again)."""
    scopes = user.scope_codes
    if not scopes:
        return [] if user.role in UNSCOPED_WHEN_EMPTY else [column.is_(None)]
    return [or_(*(or_(column == s, under(column, s)) for s in scopes))]


def _place_names(session: Session, codes: set[str]) -> dict[str, str]:
    """`Village, Kecamatan` for each village code."""
    if not codes:
        return {}
    villages = dict(session.execute(
        select(Region.code, Region.name).where(Region.code.in_(codes))).all())
    parents = {c: c.rsplit(".", 1)[0] for c in codes if c.count(".") == 3}
    kecamatan = dict(session.execute(
        select(Region.code, Region.name).where(Region.code.in_(set(parents.values())))).all())
    return {c: ", ".join(n for n in (villages.get(c), kecamatan.get(parents.get(c, ""))) if n)
            for c in codes}


# ------------------------------------------------------------------ regions


def regions(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    found = search_regions(session, query, within=within, prefer=get_settings().home_region,
                           limit=60)
    # the hits and every dotted prefix of their codes (their trail) in one query each
    wanted = {hit.code for hit in found}
    prefixes = {code.rsplit(".", n)[0] for code in wanted for n in range(1, code.count(".") + 1)}
    known = {r.code: r for r in session.scalars(select(Region).where(
        Region.code.in_(wanted | prefixes)))}
    hits = []
    for hit in found:
        region = known.get(hit.code)
        if region is None or not can_see_region(user, region.code):
            continue
        if region.kind in VILLAGE_KINDS and not can_see_village(user, region.code):
            continue
        trail = ", ".join(r.name for r in reversed(_trail(session, region, known)))
        hits.append(Hit(
            kind="region", title=region.name, key=region.code, score=hit.score,
            href=("/desa/" if region.kind in VILLAGE_KINDS else "/wilayah/") + region.code,
            region_kind=region.kind, place=trail,
            matched=hit.matched if hit.matched not in (region.name, region.code) else ""))
    return hits


def _trail(session: Session, region: Region, known: dict[str, Region]) -> list[Region]:
    """The region's parents, province first: from `known`, else ancestors() asks."""
    parents, code = [], region.parent_code
    while code:
        parent = known.get(code)
        if parent is None:  # a parent outside the dotted prefixes: the general path
            return ancestors(session, region)
        parents.append(parent)
        code = parent.parent_code
    return parents[::-1]


# ------------------------------------------------------------------ partnerships


def partners(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    rows = session.scalars(select(Partner).where(*_every_word(query, Partner.name))
                           .order_by(Partner.name).limit(CANDIDATES))
    hits = []
    for partner in rows:
        if not access.can_see_partner(session, user, partner.id):
            continue
        if within and not any(_overlaps(a, within) for a in partner.area_codes):
            continue
        hits.append(Hit(kind="partner", title=partner.name, key=str(partner.id),
                        href=f"/mitra/{partner.id}", score=name_score(query, partner.name),
                        note=PARTNER_KINDS.get(partner.kind, partner.kind)))
    return hits


def mous(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    rows = session.scalars(select(Mou).where(*_every_word(query, Mou.title, Mou.number))
                           .order_by(Mou.id).limit(CANDIDATES))
    hits = []
    for mou in rows:
        if not access.can_see_mou(session, user, mou) or not _overlaps(mou.region_code, within):
            continue
        hits.append(Hit(kind="mou", title=mou.title, key=str(mou.id),
                        href=f"/kerja-sama/mou/{mou.id}",
                        score=name_score(query, mou.title, mou.number),
                        note=", ".join(p.name for p in mou.partners)))
    return hits


def agreements(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    rows = list(session.scalars(
        select(Agreement).where(*_every_word(query, Agreement.title, Agreement.number))
        .order_by(Agreement.id.desc()).limit(CANDIDATES)))
    visible = [a for a in rows if access.can_see_agreement(session, user, a)
               and (within is None or any(_in_place(c, within) for c in a.village_codes))]
    names = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_({c for a in visible for c in a.village_codes}))).all())
    return [Hit(kind="agreement", title=a.title, key=str(a.id), href=f"/kerja-sama/{a.id}",
                score=name_score(query, a.title, a.number),
                place=", ".join(names.get(c, c) for c in a.village_codes
                                if can_see_village(user, c)),
                person=", ".join(p.name for p in a.partners),
                note=STAGES.get(a.stage, a.stage))
            for a in visible]


# ------------------------------------------------------------------ mentoring


def _mentoring_rows(session: Session, user: User, model: Any, where: list[Any],
                    within: str | None) -> list[Any]:
    if user.role == "mitra":  # mentoring records are not open to a partner's account
        return []
    query = select(model).where(*where, *_scope_filter(user, model.village_code))
    if within:
        query = query.where(or_(model.village_code == within, under(model.village_code, within)))
    rows = session.scalars(query.order_by(model.id).limit(CANDIDATES))
    return [r for r in rows if can_see_village(user, r.village_code)]


def _umkm_hits(session: Session, user: User, rows: list[Umkm], query: str) -> list[Hit]:
    places = _place_names(session, {u.village_code for u in rows})
    return [Hit(kind="umkm", title=u.name, key=str(u.id), href=f"/pendampingan/umkm/{u.id}",
                score=name_score(query, u.name, u.owner_name) if query else 100.0,
                place=places.get(u.village_code, u.village_code), person=u.owner_name,
                nik=number_for(u.owner_nik, user), note=u.sector)
            for u in rows]


def _household_hits(session: Session, user: User, rows: list[Household],
                    query: str) -> list[Hit]:
    places = _place_names(session, {h.village_code for h in rows})
    return [Hit(kind="household", title=h.head_name, key=str(h.id),
                href=f"/pendampingan/rumah-tangga/{h.id}",
                score=name_score(query, h.head_name) if query else 100.0,
                place=places.get(h.village_code, h.village_code),
                nik=number_for(h.head_nik, user), kk=number_for(h.kk_number, user))
            for h in rows]


def umkm(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    rows = _mentoring_rows(session, user, Umkm, _every_word(query, Umkm.name, Umkm.owner_name),
                           within)
    return _umkm_hits(session, user, rows, query)


def households(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    rows = _mentoring_rows(session, user, Household, _every_word(query, Household.head_name),
                           within)
    return _household_hits(session, user, rows, query)


def groups(session: Session, user: User, query: str, within: str | None) -> list[Hit]:
    rows = _mentoring_rows(session, user, Group, _every_word(query, Group.name), within)
    places = _place_names(session, {g.village_code for g in rows})
    return [Hit(kind="group", title=g.name, key=str(g.id), href=f"/pendampingan/kelompok/{g.id}",
                score=name_score(query, g.name),
                place=places.get(g.village_code, g.village_code), note=g.sector)
            for g in rows]


# ------------------------------------------------------------------ by NIK or KK


def umkm_by_number(session: Session, user: User, number: str, within: str | None) -> list[Hit]:
    rows = _mentoring_rows(session, user, Umkm, [Umkm.owner_nik == number], within)
    return _umkm_hits(session, user, rows, "")


def households_by_number(session: Session, user: User, number: str,
                         within: str | None) -> list[Hit]:
    rows = _mentoring_rows(
        session, user, Household,
        [or_(Household.kk_number == number, Household.head_nik == number)], within)
    return _household_hits(session, user, rows, "")
