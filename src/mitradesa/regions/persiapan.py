"""Desa persiapan: a provisional village under its parent desa, later given a definitive code."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.accounts.models import UserScope
from mitradesa.regions.codes import normalize_code, parent_of
from mitradesa.regions.errors import RegionConflictError, RegionInputError
from mitradesa.regions.models import Region, RegionAlias, RegionCodeChange
from mitradesa.regions.names import normalize_name
from mitradesa.regions.queries import get_region

_DEFINITIVE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.2\d{3}$")


def add_desa_persiapan(
    session: Session, parent_code: str, name: str, *, actor: Any = None
) -> Region:
    """Create a desa persiapan with the next free provisional code `<parent>.Pnn`."""
    parent = get_region(session, parent_code, active_only=True)
    clean_name = " ".join(name.split())
    if parent.kind != "desa":
        raise RegionInputError(
            f"Desa persiapan harus berinduk pada sebuah desa; {parent.code} ({parent.name}) "
            f"adalah {parent.kind}."
        )
    if not clean_name:
        raise RegionInputError("Nama desa persiapan wajib diisi.")
    siblings = session.scalars(select(Region).where(Region.code.like(f"{parent.code}.P%"))).all()
    if any(s.name_norm == normalize_name(clean_name) and s.active for s in siblings):
        raise RegionConflictError(f"Desa persiapan {clean_name} sudah terdaftar di {parent.name}.")
    code = f"{parent.code}.P{len(siblings) + 1:02d}"
    region = Region(
        code=code,
        kind="desa_persiapan",
        name=clean_name,
        name_norm=normalize_name(clean_name),
        parent_code=parent.code,
        edition="persiapan",
        active=True,
        created_by=getattr(actor, "id", None),
    )
    session.add(region)
    session.flush()
    audit.log(
        session,
        "regions.desa_persiapan.created",
        "region",
        code,
        actor=actor,
        after={"code": code, "name": clean_name, "parent_code": parent.code},
    )
    return region


def promote_desa_persiapan(
    session: Session, provisional_code: str, definitive_code: str, *, actor: Any = None
) -> Region:
    """Give a desa persiapan its definitive Kemendagri code, keeping the history."""
    old = get_region(session, provisional_code, active_only=True)
    if old.kind != "desa_persiapan":
        raise RegionInputError(f"{old.code} ({old.name}) bukan desa persiapan.")
    new_code = normalize_code(definitive_code)
    kecamatan_code = parent_of(old.parent_code or "")
    if not _DEFINITIVE.match(new_code) or parent_of(new_code) != kecamatan_code:
        raise RegionInputError(
            f"Kode definitif harus kode desa (…2xxx) di kecamatan {kecamatan_code}, "
            f"bukan {definitive_code}."
        )
    if session.get(Region, new_code) is not None:
        raise RegionConflictError(f"Kode {new_code} sudah dipakai.")
    new = Region(
        code=new_code,
        kind="desa",
        name=old.name,
        name_norm=old.name_norm,
        parent_code=kecamatan_code,
        edition="definitif",
        active=True,
        latitude=old.latitude,
        longitude=old.longitude,
        location_source=old.location_source,
        created_by=getattr(actor, "id", None),
    )
    session.add(new)
    session.flush()
    old.active = False
    session.add(
        RegionCodeChange(
            old_code=old.code,
            old_name=old.name,
            new_code=new_code,
            new_name=old.name,
            change="promoted",
            edition_from="persiapan",
            edition_to="definitif",
            note=f"Desa persiapan {old.name} didefinitifkan.",
        )
    )
    session.execute(
        update(UserScope).where(UserScope.region_code == old.code).values(region_code=new_code)
    )
    session.execute(update(RegionAlias).where(RegionAlias.code == old.code).values(code=new_code))
    audit.log(
        session,
        "regions.desa_persiapan.promoted",
        "region",
        new_code,
        actor=actor,
        before={"code": old.code},
        after={"code": new_code, "name": old.name},
    )
    return new
