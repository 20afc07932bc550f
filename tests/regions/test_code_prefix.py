"""`under(column, code)`: the codes below a region, found through an index on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from mitradesa.db.codes import under
from mitradesa.demo.national import load_national_demo
from mitradesa.idm_records import queries
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions.models import Region


def test_selects_exactly_the_codes_below_a_region(db):
    below = set(db.scalars(select(Region.code).where(under(Region.code, "64.02.04"))))
    assert "64.02.04.2001" in below and "64.02.04" not in below
    assert all(code.startswith("64.02.04.") for code in below)
    assert not any(code.startswith(("64.02.040", "64.02.05")) for code in below)
    expected = {code for code in db.scalars(select(Region.code))
                if code.startswith("64.02.04.")}
    assert below == expected
    provinces = set(db.scalars(select(Region.code).where(under(Region.code, "6"))))
    assert provinces == set()  # "6." is no code's beginning


@pytest.mark.parametrize("bad", ["", "64.%", "64_02", "64.*", "64.0[2]"])
def test_refuses_patterns_in_place_of_a_code(bad):
    with pytest.raises(ValueError, match="not a region code"):
        under(Region.code, bad)


def test_region_pages_read_the_index_not_the_country(db, backend):
    """A region's years, its status counts and one year of its villages come from an index
    range. On SQLite the former LIKE read every stored village-year (seconds at 750,000)."""
    load_national_demo(db, 400, 2)
    summary = queries.region_summary(db, "64.02")
    assert summary.years == [2023, 2024] and len(summary.ranking) == 193
    assert sum(summary.counts[2024].values()) == 193
    if backend != "sqlite":
        return  # PostgreSQL's planner picks by table statistics; the plan is not fixed here

    def plan(query) -> str:
        compiled = query.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
        rows = db.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        return " | ".join(row[-1] for row in rows)

    years = plan(select(IdmResult.year).where(under(IdmResult.village_code, "64.02")))
    assert "ix_idm_results_village_year (village_code>? AND village_code<?)" in years
    one_year = plan(select(IdmResult.idm).where(under(IdmResult.village_code, "64.02"),
                                                IdmResult.year == 2024))
    assert "ix_idm_results_year_village (year=? AND village_code>? AND village_code<?)" \
        in one_year
    regions = plan(select(Region.code).where(under(Region.code, "64.02")))
    assert "SCAN" not in regions
    desa = plan(select(Region.code).where(under(Region.code, "64.02"), Region.kind == "desa"))
    assert "ix_regions_kind_code (kind=? AND code>? AND code<?)" in desa


def test_codes_beside_the_region_are_not_below_it(db):
    """Codes sort right beside the region's: 99.01 must not take 99.010… or 99.02."""
    db.add_all([Region(code=code, kind="desa", name=code, name_norm=code, edition="uji")
                for code in ("99.01.01.2001", "99.010.01.2001", "99.02.01.2001")])
    db.flush()
    found = list(db.scalars(select(Region.code).where(under(Region.code, "99.01"))))
    assert found == ["99.01.01.2001"]


def test_postgresql_under_another_collation_still_reads_an_index(postgres):
    """Debian's clusters default to C.UTF-8 or en_US.UTF-8, where LIKE 'code.%' cannot use a
    plain B-tree index: the pattern indexes of migration 0007 serve it."""
    import psycopg

    from mitradesa.db.migrate import upgrade
    from mitradesa.db.session import make_engine

    admin = f"host=127.0.0.1 port={postgres.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "collation_c_utf8"')
        conn.execute('CREATE DATABASE "collation_c_utf8" TEMPLATE template0 '
                     "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    engine = make_engine(postgres.url("collation_c_utf8"))
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO regions (code, kind, name, name_norm, edition, active, created_at,"
                " updated_at) SELECT to_char(i / 1000, 'FM00') || '.' || to_char(mod(i, 1000),"
                " 'FM0000'), 'desa', 'x', 'x', 'uji', true, now(), now()"
                " FROM generate_series(1000, 98999) AS i")
            conn.exec_driver_sql("ANALYZE regions")
            query = select(Region.code).where(under(Region.code, "64"), Region.kind == "desa")
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            explain = f"EXPLAIN {compiled}".replace("%", "%%")  # the driver's placeholders
            plan = " ".join(row[0] for row in conn.exec_driver_sql(explain))
            assert "_pattern" in plan and "Seq Scan" not in plan, plan
            assert len(conn.execute(query).all()) == 1000
    finally:
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "collation_c_utf8"')


def test_postgresql_keeps_finer_statistics_on_region_codes(db, backend):
    """With the default histogram a regency's share of the country's village-years swings
    from one ANALYZE to the next, and some samples made the regency dashboard read a whole
    year and every region (30-40 ms of database work instead of under 1 ms). Migration 0008
    keeps 1,000 buckets on the columns compared with `code.%`."""
    if backend == "sqlite":
        return  # SQLite plans from its indexes, without histograms of this kind
    targets = dict(db.execute(text(
        "SELECT attrelid::regclass::text || '.' || attname, attstattarget FROM pg_attribute"
        " WHERE (attrelid = 'idm_results'::regclass AND attname = 'village_code')"
        " OR (attrelid = 'regions'::regclass AND attname IN ('code', 'parent_code'))")).all())
    assert targets == {"idm_results.village_code": 1000, "regions.code": 1000,
                       "regions.parent_code": 1000}
