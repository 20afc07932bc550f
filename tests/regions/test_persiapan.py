"""Desa persiapan: provisional code under its parent desa, promotion keeps history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mitradesa.audit.models import AuditEntry
from mitradesa.regions import queries
from mitradesa.regions.errors import RegionConflictError, RegionInputError
from mitradesa.regions.models import RegionCodeChange
from mitradesa.regions.persiapan import add_desa_persiapan, promote_desa_persiapan

LOA_DURI_ILIR = "64.02.03.2007"


def test_loa_duri_seberang_gets_a_provisional_code_under_its_parent(db):
    parent = queries.get_region(db, LOA_DURI_ILIR)
    assert parent.name == "Loa Duri Ilir"
    region = add_desa_persiapan(db, parent.code, "Loa Duri Seberang")
    assert region.code == f"{parent.code}.P01"
    assert region.kind == "desa_persiapan" and region.parent_code == parent.code
    assert region in queries.descendants(db, "64.02.03")
    assert db.scalar(select(AuditEntry).where(AuditEntry.object_id == region.code)) is not None


def test_persiapan_is_refused_under_a_kelurahan(db):
    with pytest.raises(RegionInputError, match="harus berinduk pada sebuah desa"):
        add_desa_persiapan(db, "64.02.06.1001", "Baru")


def test_the_same_persiapan_cannot_be_registered_twice(db):
    add_desa_persiapan(db, LOA_DURI_ILIR, "Loa Duri Seberang")
    with pytest.raises(RegionConflictError):
        add_desa_persiapan(db, LOA_DURI_ILIR, "loa  duri seberang")


def test_promotion_gives_a_definitive_code_and_keeps_the_old_one_resolvable(db):
    provisional = add_desa_persiapan(db, LOA_DURI_ILIR, "Loa Duri Seberang")
    village = promote_desa_persiapan(db, provisional.code, "6402032099")
    assert village.code == "64.02.03.2099" and village.kind == "desa"
    change = db.scalar(
        select(RegionCodeChange).where(RegionCodeChange.old_code == provisional.code)
    )
    assert change is not None and change.change == "promoted"
    resolution = queries.resolve_code(db, provisional.code)
    assert resolution.region.code == village.code and resolution.via_history


def test_promotion_refuses_a_code_outside_the_kecamatan(db):
    provisional = add_desa_persiapan(db, LOA_DURI_ILIR, "Loa Duri Seberang")
    with pytest.raises(RegionInputError, match=r"kecamatan 64\.02\.03"):
        promote_desa_persiapan(db, provisional.code, "64.02.04.2099")


def test_promotion_refuses_a_code_in_use(db):
    provisional = add_desa_persiapan(db, LOA_DURI_ILIR, "Loa Duri Seberang")
    with pytest.raises(RegionConflictError):
        promote_desa_persiapan(db, provisional.code, "64.02.03.2001")
