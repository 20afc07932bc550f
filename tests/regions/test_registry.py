"""The national registry: counts, Kutai Kartanegara complete, codes in both forms, history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mitradesa.regions import queries
from mitradesa.regions.codes import RegionCodeError, normalize_code, plain_code
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.loading import load_registry
from mitradesa.regions.models import Region, RegionCodeChange
from tests.conftest import LOH_SUMBER, SEPATIN


def test_registry_holds_the_2025_edition_counts(db):
    counts = dict(
        db.execute(
            select(Region.kind, func.count()).where(Region.active.is_(True)).group_by(Region.kind)
        ).all()
    )
    assert counts["provinsi"] == 38
    assert counts["kabupaten"] + counts["kota"] == 514
    assert counts["kecamatan"] == 7285
    assert counts["desa"] + counts["kelurahan"] == 83762


def test_kutai_kartanegara_has_20_kecamatan_193_desa_44_kelurahan(db):
    counts = queries.count_by_kind(db, "64.02")
    assert counts == {"kecamatan": 20, "desa": 193, "kelurahan": 44}
    kecamatan = {r.name for r in queries.children(db, "64.02")}
    assert {"Kota Bangun Darat", "Samboja Barat"} <= kecamatan


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("64.02.04.2001", "Sepatin"),
        ("64.02.04.2006", "Sungai Meriam"),
        ("64.02.13.2016", "Bukit Raya"),
        ("64.02.16.2002", "Bukit Raya"),
        ("64.02.02.2004", "Loa Kulu Kota"),
        ("64.02.02.2010", "Lung Anai"),
        ("64.02.02.2005", "Loh Sumber"),
        ("64.02.02.2011", "Jembayan Tengah"),
    ],
)
def test_named_kukar_villages_are_in_the_registry(db, code, name):
    region = queries.get_region(db, code)
    assert (region.name, region.kind) == (name, "desa")


def test_codes_are_accepted_dotted_and_as_ten_digits(db):
    assert normalize_code("6402042001") == SEPATIN
    assert plain_code(SEPATIN) == "6402042001"
    assert queries.get_region(db, "6402042001").name == "Sepatin"
    assert normalize_code(" 64.02 ") == "64.02"


@pytest.mark.parametrize("bad", ["abc", "64.2", "640204200", "64.02.04.20011", "", "64-02"])
def test_malformed_code_is_refused_with_a_readable_message(bad):
    with pytest.raises(RegionCodeError, match="Kode wilayah tidak valid"):
        normalize_code(bad)


def test_unknown_code_says_it_was_not_found(db):
    with pytest.raises(RegionNotFoundError, match="tidak ditemukan"):
        queries.get_region(db, "64.02.99.2001")


def test_26_kukar_villages_differ_between_2019_and_2025_and_have_history(db):
    changes = db.scalars(
        select(RegionCodeChange).where(RegionCodeChange.old_code.like("64.02.%"))
    ).all()
    assert len(changes) == 26
    moved = {c.old_code: c.new_code for c in changes if c.change.startswith("moved")}
    assert moved["64.02.08.2001"] == "64.02.19.2001"  # Kedang Ipil → Kota Bangun Darat


def test_data_under_a_2019_code_lands_on_todays_village_and_says_so(db):
    result = queries.resolve_code(db, "6402082001")
    assert result.region.code == "64.02.19.2001"
    assert result.via_history
    assert "Kedang Ipil" in result.message and "64.02.19.2001" in result.message


def test_a_current_code_resolves_to_itself_without_a_note(db):
    result = queries.resolve_code(db, LOH_SUMBER)
    assert result.region.code == LOH_SUMBER and not result.via_history and result.message == ""


def test_an_old_code_of_a_renamed_village_resolves_in_place(db):
    result = queries.resolve_code(db, "64.02.02.2009", name="Karya Utama")
    assert result.region.name == "Jonggon Jaya"


def test_loading_twice_changes_nothing(db):
    report = load_registry(db)
    assert report.inserted == 0 and report.updated == 0 and report.history == 0
    assert report.unchanged == 91599


def test_show_lists_a_region_and_everything_under_it(db):
    under = queries.descendants(db, "64.02")
    assert len(under) == 20 + 193 + 44
