"""One formatting path: figures, money and dates in the reader's language, and the
sentences built in Python (matching reasons, reminders, report flags) written with it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitradesa import formatting
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import matching, services
from mitradesa.reports import formatting as report_formatting
from mitradesa.words import labels
from tests.conftest import LOH_SUMBER, SEPATIN
from tests.idm_records.fixtures import write_scores_csv


def test_figures_money_and_dates_follow_the_language():
    assert formatting.index4(0.81024) == "0,8102"
    assert formatting.index4(0.81024, "en") == "0.8102"
    assert formatting.nilai(86.925) == "86,92" or formatting.nilai(86.925) == "86,93"
    assert formatting.nilai(86.93, "en") == "86.93"
    assert formatting.rupiah(1_250_000_000) == "Rp1.250.000.000"
    assert formatting.rupiah(1_250_000_000, "en") == "Rp1,250,000,000"
    assert formatting.rupiah(-5000) == "-Rp5.000" and formatting.rupiah(None) == "—"
    assert formatting.long_date(date(2025, 8, 14)) == "14 Agustus 2025"
    assert formatting.long_date(date(2025, 8, 14), "en") == "14 August 2025"
    assert formatting.percent(0.125) == "12,5%" and formatting.percent(0.125, "en") == "12.5%"
    assert formatting.percent(0.8, digits=0) == "80%"
    assert formatting.fixed(0.0123, 4, signed=True) == "+0,0123"
    assert formatting.number(10969) == "10.969" and formatting.number(10969, "en") == "10,969"


def test_times_stored_in_utc_are_shown_in_the_dpmds_time_zone():
    stored = datetime(2026, 12, 6, 23, 54)  # naive: UTC, as SQLite gives it back
    assert formatting.moment(stored) == "7 Des 2026 07.54 WITA"  # the default: Kukar
    assert formatting.moment(stored.replace(tzinfo=UTC), "en") == "7 Dec 2026 07:54 WITA"
    assert formatting.moment(stored, zone="Asia/Jakarta") == "7 Des 2026 06.54 WIB"
    assert formatting.moment(stored, zone="Asia/Jayapura") == "7 Des 2026 08.54 WIT"
    assert formatting.moment(stored, zone="Europe/Berlin") == "7 Des 2026 00.54 UTC+1"
    assert formatting.moment(date(2026, 12, 6)) == "6 Des 2026"


def test_reports_and_the_command_line_write_the_indonesian_way_through_the_same_path():
    assert report_formatting.rupiah(400_000_000) == formatting.rupiah(400_000_000, "id")
    assert report_formatting.index4(0.7123) == "0,7123"
    assert report_formatting.long_date(date(2025, 8, 14)) == "14 Agustus 2025"


def test_vocabulary_names_stay_indonesian_in_the_indonesian_interface():
    from mitradesa.partnerships.vocab import SECTORS, STAGES

    assert labels(STAGES, "id")["pelaksanaan"] == "Pelaksanaan"
    assert labels(SECTORS, "id")["pendampingan_usaha"] == "Pendampingan usaha masyarakat"
    assert list(labels(STAGES, "en")) == list(STAGES)  # same keys, same order


@pytest.fixture
def villages(db, tmp_path):
    weak = [5] * 50
    weak[35] = 1  # IKE 1, which CSR may fund
    rows = [(SEPATIN.replace(".", ""), 2023, weak), (LOH_SUMBER.replace(".", ""), 2023, weak)]
    import_idm_files(db, [write_scores_csv(tmp_path / "s.csv", rows)], store_dir=tmp_path)
    db.flush()


def test_matching_reasons_write_their_figures_in_the_readers_language(db, villages):
    partner = services.create_partner(db, None, name="PT Contoh", kind="csr_swasta",
                                      sectors=["umkm"])
    indonesian = matching.villages_for_partner(db, partner)[0].reasons[-1]
    english = matching.villages_for_partner(db, partner, locale="en")[0].reasons[-1]
    assert re.search(r"IDM 0,\d{4} → 1,0000 bila", indonesian), indonesian
    assert re.search(r"IDM 0\.\d{4} → 1\.0000 bila", english), english
    gain_id = matching.partners_for_village(db, SEPATIN)[0].reasons[-1]
    gain_en = matching.partners_for_village(db, SEPATIN, locale="en")[0].reasons[-1]
    assert re.search(r"potensi kenaikan IDM 0,\d{4}", gain_id), gain_id
    assert re.search(r"potensi kenaikan IDM 0\.\d{4}", gain_en), gain_en


@given(st.integers(min_value=-10**15, max_value=10**15), st.sampled_from(["id", "en"]))
def test_whole_numbers_are_grouped_exactly_as_babel_groups_them(value: int, locale: str):
    from babel.numbers import format_decimal

    from mitradesa.formatting import babel_locale, number
    assert number(value, locale) == format_decimal(value, locale=babel_locale(locale))


@given(st.one_of(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
                 st.integers(min_value=-10**12, max_value=10**12)),
       st.sampled_from([0, 1, 2, 4]), st.sampled_from(["id", "en"]))
def test_fixed_decimals_are_written_exactly_as_babel_writes_them(value, digits: int,
                                                                 locale: str):
    from babel.numbers import format_decimal

    from mitradesa.formatting import babel_locale, fixed
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    assert fixed(value, digits, locale=locale) == format_decimal(
        value, format=pattern, locale=babel_locale(locale))
