"""Which interventions count, from when, and the contribution of a region read from the
database (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from mitradesa.analysis.interventions import (
    as_dict,
    contribution_for_region,
    first_interventions,
    interventions,
)
from mitradesa.errors import MitradesaError
from mitradesa.idm_records.models import IdmResult
from mitradesa.mentoring import programs
from mitradesa.partnerships import services
from mitradesa.regions.models import Region
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM
from tests.partnerships.fixtures import CONTENT, agreement, partner, walk_to

CRITERIA = [{"kind": "di_atas_prasejahtera"}]
EFFECT = 0.05


def _program(db, villages, start):
    return programs.create_program(
        db, None, name=f"Program {start}", funder="apbd", target_type="household",
        village_codes=villages, start_date=start, graduation_criteria=CRITERIA)


@pytest.fixture
def recorded(db, tmp_path):
    """Partnership in Sepatin and Loh Sumber from 2021; mentoring in Sungai Meriam and Sepatin
    from 2022; and what must not count: an agreement ended before it started, one still on
    offer, a program without a start date."""
    mine = partner(db)
    started = agreement(db, [mine], **{**CONTENT, "start_date": date(2021, 3, 1),
                                       "end_date": date(2023, 2, 28)})
    walk_to(db, started, "selesai", tmp_path)
    ended = agreement(db, [mine], villages=(SUNGAI_MERIAM,),
                      **{**CONTENT, "start_date": date(2020, 6, 1)})
    walk_to(db, ended, "pelaksanaan", tmp_path)
    services.advance(db, None, ended, "diakhiri", note="Mitra mundur sebelum kegiatan")
    ended.events[-1].at = datetime(2020, 4, 1, tzinfo=UTC)
    agreement(db, [mine], villages=(SUNGAI_MERIAM,))  # persiapan: never started
    _program(db, [SUNGAI_MERIAM, SEPATIN], date(2022, 2, 1))
    _program(db, [LOH_SUMBER], None)
    db.flush()
    return started


def test_first_starts_by_kind_ignore_what_never_began(db, recorded):
    first = first_interventions(interventions(db, "64.02"))
    assert {code: (i.kind, i.start) for code, i in first.items()} == {
        SEPATIN: ("kemitraan", date(2021, 3, 1)), LOH_SUMBER: ("kemitraan", date(2021, 3, 1)),
        SUNGAI_MERIAM: ("pendampingan", date(2022, 2, 1))}
    assert first[SEPATIN].source_id == recorded.id
    assert set(first_interventions(interventions(db, "64.02", "kemitraan"))) == {
        SEPATIN, LOH_SUMBER}
    mentoring_only = first_interventions(interventions(db, "64.02", "pendampingan"))
    assert {c: i.start.year for c, i in mentoring_only.items()} == {
        SEPATIN: 2022, SUNGAI_MERIAM: 2022}
    assert interventions(db, "64.02.07") == []  # Sebulu: none there


def _store_idm(db, prefixes: tuple[str, ...], effect: float) -> None:
    """IDM 2019–2024 for the desa under `prefixes`: a level per village, a common rise of
    0.01 a year, and `effect` from the year each treated village started."""
    starts = {SEPATIN: 2021, LOH_SUMBER: 2021, SUNGAI_MERIAM: 2022}
    codes = sorted(db.scalars(select(Region.code).where(
        Region.kind == "desa", Region.parent_code.in_(prefixes))))
    for n, code in enumerate(codes):
        level = 0.55 + 0.3 * ((n * 7) % 11) / 11
        if code in starts:  # the treated start close to someone else's level
            level = 0.55 + 0.3 * (((n + 1) * 7) % 11) / 11 + 0.004
        for year in range(2019, 2025):
            value = level + 0.01 * (year - 2019) + 0.002 * ((n + year) % 3)
            if year >= starts.get(code, 9999):
                value += effect
            db.add(IdmResult(village_code=code, year=year, given_code=code, scores="3" * 50,
                             iks=value, ike=value - 0.05, ikl=value, idm=value,
                             status="MAJU", target_status="MANDIRI", skor_minimal="",
                             penambahan=0.0, figures_source="demo"))
    db.flush()


def test_region_estimate_holds_the_built_in_effect_and_names_every_village(db, recorded):
    _store_idm(db, ("64.02.02", "64.02.04"), EFFECT)
    result, details = contribution_for_region(db, "64.02")
    overall = result.overall
    assert overall is not None and overall.ci_low < EFFECT < overall.ci_high
    assert overall.treated == len(details.matched) == 3 and overall.comparison == 3
    assert [s.start_year for s in details.series] == [2021, 2022]
    assert details.series[0].years == list(range(2019, 2025)) and details.demo
    shown = as_dict(result, details, can_see=lambda code: code != SUNGAI_MERIAM)
    assert {v["kode"] for v in shown["desa_intervensi"]} == {SEPATIN, LOH_SUMBER}
    assert shown["desa_tidak_ditampilkan"] == 1 and shown["alasan_tanpa_perkiraan"] is None
    assert "bukan bukti sebab-akibat" in shown["catatan"]
    # Mentoring alone: Loh Sumber (a partnership only) is neither treated nor comparison.
    _result, alone = contribution_for_region(db, "64.02", outcome="ike", kind="pendampingan")
    assert alone.left_out == 1 and {t.code for t in alone.treated} == {SEPATIN, SUNGAI_MERIAM}


def test_nothing_to_estimate_is_said_plainly(db, recorded):
    result, details = contribution_for_region(db, "64.02.07")
    assert result.overall is None and details.reason == "no_idm"
    _store_idm(db, ("64.02.04",), EFFECT)  # Sepatin and Sungai Meriam only: too few pairs
    result, details = contribution_for_region(db, "64.02.04", kind="kemitraan")
    assert result.overall is None and details.reason == "too_few"
    assert "sedikitnya 2" in details.message
    with pytest.raises(MitradesaError, match="tidak dikenal"):
        contribution_for_region(db, "64.02", outcome="iks")
    with pytest.raises(MitradesaError, match="adalah desa"):
        contribution_for_region(db, SEPATIN)
