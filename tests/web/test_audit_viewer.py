"""The audit log viewer /audit: an admin finds changes by person, kind of record, village
(code or name) and dates, a page at a time; each change reads as fields before and after in
plain words; personal numbers stay masked even in an entry written unmasked; every other
role is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from mitradesa import audit
from mitradesa.accounts.models import ROLES
from mitradesa.audit.models import AuditEntry
from mitradesa.audit.queries import PAGE_SIZE
from tests.conftest import LOH_SUMBER, SEPATIN, csrf_of, login

NIK = "6402041203850001"


@pytest.fixture
def entries(db, make_user):
    admin = make_user("admin", "admin")
    staf = make_user("staf.dpmd", "pendamping", ["64.02.04"])
    audit.log(db, "mentoring.umkm.created", "umkm", 7, actor=staf,
              after={"name": "Amplang Bu Ani", "nik": NIK, "village": SEPATIN})
    audit.log(db, "mentoring.household.created", "household", 8, actor=staf,
              after={"kk_number": NIK, "village": LOH_SUMBER, "welfare_class": "prasejahtera"})
    audit.log(db, "partnerships.agreement.updated", "agreement", 3, actor=admin,
              before={"title": "Air bersih", "stage": "persiapan", "villages": [SEPATIN]},
              after={"title": "Air bersih", "stage": "pelaksanaan", "villages": [SEPATIN]})
    audit.log(db, "regions.registry.loaded", "registry", "kemendagri", actor=None,
              after={"regions": 91599})
    # written before masking on write existed: the viewer masks it on the way out
    db.add(AuditEntry(actor_name="system", action="mentoring.umkm.updated", object_type="umkm",
                      object_id="9", after={"owner_nik": NIK, "note": f"KTP {NIK}"},
                      at=datetime(2024, 3, 1, 8, tzinfo=UTC)))
    db.commit()
    return admin


def _page(client, **query) -> str:
    answer = client.get("/audit", params=query)
    assert answer.status_code == 200
    return answer.text


def _count(text: str) -> int:
    return len(re.findall(r'class="card audit-entry"', text))


def test_an_admin_reads_changes_as_fields_before_and_after_in_plain_words(client, entries):
    login(client, "admin")
    page = _page(client, jenis="agreement")
    assert _count(page) == 1
    diff = page[page.index('class="table audit-diff'):]
    assert "Persiapan" in diff and "Pelaksanaan" in diff  # stage names, not codes
    assert 'class="changed"' in diff
    shown = re.sub(r'title="[^"]*"', "", page)  # codes may stay in tooltips
    assert '"stage"' not in shown and "{&#34;" not in shown  # no raw JSON
    assert "partnerships.agreement.updated" not in shown
    assert f"Sepatin ({SEPATIN})" in diff  # villages named
    system = _page(client, jenis="registry")
    assert re.search(r"<strong>[^<]*(sistem|system)[^<]*</strong>", system)
    assert "91.599" in system  # numbers the Indonesian way


def test_personal_numbers_stay_masked_even_in_an_entry_written_unmasked(client, db, entries):
    stored = db.scalar(select(AuditEntry).where(AuditEntry.object_id == "9"))
    assert stored.after["owner_nik"] == NIK  # as written, before the rule
    login(client, "admin")
    page = _page(client)
    assert NIK not in page
    assert "************0001" in page


def test_filters_by_person_kind_village_and_dates(client, entries):
    login(client, "admin")
    assert _count(_page(client, orang="staf.dpmd")) == 2
    assert _count(_page(client, orang="system", jenis="umkm")) == 1
    assert _count(_page(client, jenis="household")) == 1
    by_code = _page(client, desa=SEPATIN)
    assert _count(by_code) == 2  # the UMKM and the agreement in Sepatin
    by_name = _page(client, desa="sepatin")
    assert _count(by_name) == 2 and "Sepatin" in by_name
    # the kecamatan: its villages' entries and the pendamping given it as scope
    assert _count(_page(client, desa="64.02.04")) == 3
    assert _count(_page(client, desa="Desa Yang Tidak Ada")) == 0
    assert _count(_page(client, dari="2024-01-01", sampai="2024-12-31")) == 1
    assert _count(_page(client, sampai="2023-12-31")) == 0
    wrong = _page(client, dari="kemarin")
    assert "kemarin" in wrong and 'role="alert"' in wrong


def test_the_log_is_paged_with_the_filters_kept(client, db, entries):
    for n in range(PAGE_SIZE + 5):
        audit.log(db, "mentoring.group.created", "group", n, actor=entries,
                  after={"name": f"Kelompok {n}"})
    db.commit()
    login(client, "admin")
    first = _page(client, jenis="group")
    assert _count(first) == PAGE_SIZE
    older = re.search(r'href="(/audit\?[^"]*halaman=2)"', first).group(1).replace("&amp;", "&")
    assert "jenis=group" in older
    second = client.get(older).text
    assert _count(second) == 5
    total = db.scalar(select(func.count()).select_from(AuditEntry)
                      .where(AuditEntry.object_type == "group"))
    assert total == PAGE_SIZE + 5


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_every_other_role_is_refused(client, make_user, role):
    scope = {"operator_desa": [SEPATIN], "pendamping": ["64.02.04"]}.get(role, [])
    make_user("someone", role, scope, **({"organisation": "X"} if role == "mitra" else {}))
    login(client, "someone")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit", params={"desa": SEPATIN}).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    answer = client.get("/audit", follow_redirects=False)
    assert answer.status_code == 303 and "/masuk" in answer.headers["location"]
    assert csrf_of(client)
