"""One masking policy for NIK and KK numbers (`mitradesa.masking`): only the last 4 digits
show, so neither the region (digits 1-6) nor the birth or issue date (digits 7-12) can be
read; the audit log masks both, whoever made the change."""

from __future__ import annotations

import json

from sqlalchemy import select

from mitradesa.audit import log
from mitradesa.audit.models import AuditEntry
from mitradesa.masking import mask_number, mask_record, number_for
from mitradesa.mentoring import beneficiaries
from tests.conftest import SEPATIN

KK = "6402041203850001"
NIK = "6402045708900002"  # a woman born 17 August 1990: 570890 are the date digits


class Viewer:
    role = "viewer"


class Pendamping:
    role = "pendamping"


def test_a_masked_number_shows_only_its_last_four_digits():
    assert mask_number(NIK) == "************0002"
    assert number_for(NIK, Viewer()) == "************0002"
    assert number_for(NIK, Pendamping()) == NIK and number_for(NIK, None) == NIK
    assert mask_number("") == ""


def test_a_record_is_masked_by_key_and_in_free_text():
    record = mask_record({"kk_number": KK, "head_nik": NIK, "no_kk": KK, "village": SEPATIN,
                          "note": f"KK {KK} pindah", "members": [{"nik": NIK}]})
    text = json.dumps(record)
    assert KK not in text and NIK not in text and "570890" not in text
    assert record["village"] == SEPATIN and record["note"] == "KK ************0001 pindah"


def test_the_audit_entry_of_a_household_shows_neither_the_kk_nor_the_birth_date(db):
    household = beneficiaries.register_household(
        db, None, kk_number=KK, head_name="Siti Aminah", head_nik=NIK, village_code=SEPATIN,
        welfare_class="prasejahtera")
    log(db, "mentoring.household.moved", "household", household.id,
        before={"kk_number": KK}, after={"kk_number": KK, "owner_nik": NIK})
    db.flush()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "household")).all()
    assert len(entries) == 2
    for entry in entries:
        text = json.dumps([entry.before, entry.after])
        assert KK not in text and NIK not in text
        assert "120385" not in text and "570890" not in text  # the date digits
        assert "************0001" in text
