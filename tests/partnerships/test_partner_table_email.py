"""A partner table with a contact e-mail that is not one is refused by the same use case as
the page and the API, naming the row and the value; nothing is saved."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from mitradesa.io.errors import ImportRejectedError
from mitradesa.partnerships.models import Partner
from mitradesa.partnerships.spreadsheets import import_partners


def test_a_bad_email_in_the_partner_table_rejects_the_file(db, tmp_path):
    path = tmp_path / "mitra.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["nama", "jenis", "kontak_email"],
            ["PT Baik", "csr_swasta", "csr@baik.co.id"],
            ["PT Surel Salah", "csr_swasta", "csr baik.co.id"],
        ])
    with pytest.raises(ImportRejectedError) as rejected:
        import_partners(db, path)
    assert "mitra.csv, baris 3: Alamat e-mail “csr baik.co.id” tidak sah" in \
        rejected.value.message
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Partner)) == 0
