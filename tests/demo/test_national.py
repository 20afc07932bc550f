"""The national demo set: which desa, how their IDM and Indeks Desa look, stored once, bad input
refused."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np
import pytest
from sqlalchemy import func, select

from mitradesa.demo.national import NationalDemoInputError, load_national_demo
from mitradesa.demo.national_scores import ALL_YEARS, pick_villages, regency_of, regency_scores
from mitradesa.idm import compute, compute_many
from mitradesa.idm.indeks_desa import STATUSES, check_levels, scores_from_strings
from mitradesa.idm.indeks_desa import compute_many as indeks_desa_many
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions.models import Region
from tests.conftest import login


def _desa(db) -> list[str]:
    return list(db.scalars(select(Region.code).where(Region.kind == "desa",
                                                     Region.active.is_(True))))


def test_picks_whole_regencies_home_first_then_one_per_province(db):
    codes = _desa(db)
    kukar = sorted(c for c in codes if c.startswith("64.02."))
    assert pick_villages(codes, len(kukar), "64.02") == kukar
    some = pick_villages(codes, 7_500, "64.02")
    assert len(some) == len(set(some)) == 7_500
    provinces_with_desa = {c[:2] for c in codes}
    assert {c[:2] for c in some} == provinces_with_desa  # every province from ~40 regencies
    per_regency = Counter(regency_of(c) for c in some)
    whole = Counter(regency_of(c) for c in codes)
    assert sum(per_regency[r] < whole[r] for r in per_regency) == 1  # only the last is cut
    assert sorted(pick_villages(codes, 10**6, "64.02")) == sorted(codes)


def test_scores_have_regional_differences_and_rise_over_the_years(db):
    codes = pick_villages(_desa(db), 20_000, "64.02")
    by_regency: dict[str, list[str]] = {}
    for code in sorted(_desa(db)):
        by_regency.setdefault(regency_of(code), []).append(code)
    wanted = set(codes)
    rows, provinces = [], []
    for regency in sorted({regency_of(c) for c in codes}):
        everyone = by_regency[regency]
        scores = regency_scores(everyone, 2015)
        keep = [i for i, code in enumerate(everyone) if code in wanted]
        rows.append(scores[keep])
        provinces += [regency[:2]] * len(keep)
    scores = np.concatenate(rows)  # (villages, years, 50)
    assert scores.shape == (20_000, len(ALL_YEARS), 50) and scores.max() <= 5
    first, last = (compute_many(scores[:, y]) for y in (0, -1))
    shares = [np.bincount(f.status, minlength=5) / len(f.status) for f in (first, last)]
    # 2015: mostly up to berkembang, hardly any mandiri; 2024: mostly berkembang to mandiri.
    assert shares[0][[0, 1, 2]].sum() > 0.85 and shares[0][4] < 0.01
    assert shares[1][[2, 3, 4]].sum() > 0.8 and shares[1][4] > 0.1
    yearly = [compute_many(scores[:, y]).idm.mean() for y in range(len(ALL_YEARS))]
    assert all(b > a for a, b in pairwise(yearly))
    statuses = np.stack([compute_many(scores[:, y]).status for y in range(len(ALL_YEARS))], 1)
    assert (np.diff(statuses, axis=1) < 0).mean() < 0.02  # a village rarely falls back
    province = np.array(provinces)
    java, papua = np.isin(province, ["33", "35"]), np.isin(province, ["94", "95"])
    assert last.idm[java].mean() > last.idm[papua].mean() + 0.1


def test_stores_labelled_demo_village_years_once(db):
    report = load_national_demo(db, 250, 3)
    assert (report.villages, report.added, report.present) == (250, 750, 0)
    assert report.years == (2022, 2023, 2024) and report.regencies == 2
    stored = list(db.scalars(select(IdmResult).where(IdmResult.figures_source == "demo")))
    assert len(stored) == 750
    assert {r.year for r in stored} == {2022, 2023, 2024}
    assert len({r.village_code for r in stored}) == 250
    assert sum(r.village_code.startswith("64.02.") for r in stored) == 193 * 3
    sample = stored[0]
    figures = compute([int(d) for d in sample.scores])
    assert (sample.idm, sample.status, sample.scheme) == (figures.idm, figures.status, "idm2016")
    again = load_national_demo(db, 250, 3)
    assert (again.added, again.present) == (0, 750)
    more = load_national_demo(db, 300, 4)  # only what is missing: 50 desa × 4 + 250 × 2021
    assert (more.added, more.present) == (50 * 4 + 250, 750)
    total = db.scalar(select(func.count()).select_from(IdmResult)
                      .where(IdmResult.figures_source == "demo"))
    assert total == 1_200


def test_scores_do_not_depend_on_how_many_villages_or_years(db):
    load_national_demo(db, 10, 2)
    small = {(r.village_code, r.year): r.scores for r in db.scalars(select(IdmResult))}
    db.rollback()
    load_national_demo(db, 200, 5)
    large = {(r.village_code, r.year): r.scores for r in db.scalars(select(IdmResult))}
    assert small.items() <= large.items()


@pytest.mark.parametrize(("villages", "years", "seed", "words"), [
    (0, 10, 1, "Jumlah desa harus paling sedikit 1"),
    (-5, 10, 1, "Jumlah desa harus paling sedikit 1"),
    (10, 0, 1, "Jumlah tahun harus 1–10"),
    (10, 11, 1, "Jumlah tahun harus 1–10"),
    (10, 2, -1, "Seed harus"),
])
def test_refuses_bad_input(db, villages, years, seed, words):
    with pytest.raises(NationalDemoInputError, match=words):
        load_national_demo(db, villages, years, seed)
    assert db.scalar(select(func.count()).select_from(IdmResult)
                     .where(IdmResult.figures_source == "demo")) == 0


def test_pages_say_demo(db, client, make_user):
    load_national_demo(db, 200, 2)
    db.commit()
    make_user("staf", "viewer", [])
    login(client, "staf")
    assert "DATA DEMO (sintetis)" in client.get("/desa/64.02.02.2010/idm").text
    assert "DATA DEMO (sintetis)" in client.get("/wilayah/64.02/idm").text


def test_stores_an_indeks_desa_2025_per_village_labelled_demo_and_once(db):
    report = load_national_demo(db, 250, 2)
    assert (report.indeks_desa_added, report.indeks_desa_present) == (250, 0)
    stored = list(db.scalars(select(IndeksDesaResult)))
    assert len(stored) == 250 and {r.year for r in stored} == {2025}
    assert {r.figures_source for r in stored} == {"demo"}
    idm = set(db.scalars(select(IdmResult.village_code).where(IdmResult.year == 2024)))
    assert {r.village_code for r in stored} == idm
    scores = scores_from_strings([r.scores for r in stored])
    assert check_levels(scores) == []  # every item at one of its allowed levels
    figures = indeks_desa_many(scores)
    assert [r.total for r in stored] == figures.total.tolist()
    assert [r.status for r in stored] == figures.status_names()
    assert all(len(set(r.scores)) >= 3 for r in stored)  # profiles, not flat lines
    again = load_national_demo(db, 300, 2)
    assert (again.indeks_desa_added, again.indeks_desa_present) == (50, 250)
    assert db.scalar(select(func.count()).select_from(IndeksDesaResult)) == 300


def test_indeks_desa_continues_the_2024_idm_within_one_status(db):
    load_national_demo(db, 3_000, 1)
    idm = dict(db.execute(select(IdmResult.village_code, IdmResult.status)).tuples().all())
    moves = Counter(
        (idm[code], status) for code, status in db.execute(
            select(IndeksDesaResult.village_code, IndeksDesaResult.status)).tuples())
    order = list(STATUSES)
    assert all(abs(order.index(a) - order.index(b)) <= 1 for a, b in moves), moves
    kept = sum(n for (a, b), n in moves.items() if a == b)
    assert kept > 0.6 * 3_000  # mostly the same status, some a step up or down
    assert any(order.index(b) > order.index(a) for a, b in moves)
    assert any(order.index(b) < order.index(a) for a, b in moves)


def test_indeks_desa_does_not_depend_on_how_many_villages(db):
    load_national_demo(db, 10, 1)
    small = dict(db.execute(select(IndeksDesaResult.village_code,
                                   IndeksDesaResult.scores)).tuples().all())
    db.rollback()
    load_national_demo(db, 400, 1)
    large = dict(db.execute(select(IndeksDesaResult.village_code,
                                   IndeksDesaResult.scores)).tuples().all())
    assert small.items() <= large.items()


def test_village_indeks_desa_page_shows_the_demo(db, client, make_user):
    load_national_demo(db, 200, 1)
    db.commit()
    make_user("staf", "viewer", [])
    login(client, "staf")
    page = client.get("/desa/64.02.02.2010/indeks-desa")
    assert page.status_code == 200 and "DATA DEMO (sintetis)" in page.text
    assert client.get("/wilayah/64.02/indeks-desa").status_code == 200
