"""The table of write routes: for each, how to build a valid request, which references in its
path and body point at something scoped, and which roles may make the write.

`build(world, out)` returns the request with every reference in scope when `out` is None, and
with only the reference named `out` pointing outside the scope otherwise: at the records of
the side `world.far` ("out": Loh Sumber in Loa Kulu; "near": Sungai Meriam, beside the
operator's village in the same kecamatan, for the cases in NEAR_CASES). A reference that
another one depends on moves with it: when the path's program is out of scope, the
beneficiary enrolled in it comes from the same (out-of-scope) side, since a beneficiary of
another program's villages would be refused for every role. `world.acting` is the role
making the request (the own-account routes name that user's own session or token).

To add a write route: add an entry to WRITE_CASES (or, for a POST that reads only or manages
the login session, to READ_ONLY_POSTS or NOT_WRITES with the reason). The guard test in
test_write_access.py fails until every unsafe route of the app is listed here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.conftest import PASSWORD
from tests.idm_records.fixtures import SCORE_COLUMNS
from tests.partnerships.fixtures import PDF
from tests.web.write_access_data import OTHER_USER, PNG, USERS, VILLAGE, World

# "own": a record of the acting user's own account (a session, a token); pointed outside,
# another user's, which is out of reach of every role, the admin's included.
Kind = Literal["record", "village", "own"]
STAFF = frozenset({"admin", "pendamping"})
EDITORS = frozenset({"admin", "pendamping", "operator_desa"})
ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Call:
    """One request: an API call (JSON or multipart) or a page form."""

    method: str
    path: str
    json: dict[str, Any] | None = None
    form: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


@dataclass(frozen=True)
class WriteCase:
    build: Callable[[World, str | None], Call]
    writers: frozenset[str]  # roles that may make this write inside their scope
    refs: dict[str, Kind] = field(default_factory=dict)  # reference → what it points at
    # References that must lie in the village of the record they join (a group's members):
    # moved out alone, the body contradicts itself and is refused (400) even for a user who
    # may see both villages.
    bound: frozenset[str] = frozenset()


def s(w: World, out: str | None, *refs: str) -> str:
    """The side a reference takes: `w.far` when it (or one it depends on) is `out`."""
    return w.far if out in refs else "in"


API = "/api/v1"
DAY = "2025-06-01"
REPORT_DAY = "2025-09-15"  # after the agreements start (20 August 2025), not ahead


# ------------------------------------------------------------------ partnerships


def _agreement_form(w: World, out: str | None, partner_side: str) -> dict[str, Any]:
    villages = [VILLAGE["in"], VILLAGE[w.far]] if out == "desa" else [VILLAGE[partner_side]]
    return {"judul": "Kerja sama ditulis ulang", "mitra": str(w.partner[partner_side]),
            "desa": villages, "lingkup": "umkm"}


PARTNERSHIPS: dict[str, WriteCase] = {
    "api_create_partner": WriteCase(
        lambda w, out: Call("POST", f"{API}/partners", json={
            "nama": "Mitra Baru Uji", "jenis": "csr_swasta", "bidang": ["umkm"]}),
        STAFF),
    # Partners are the regency's (no village scope): a mitra may not change them at all.
    "api_update_partner": WriteCase(
        lambda w, out: Call("PATCH", f"{API}/partners/{w.partner['in']}", json={
            "catatan": "diubah", "versi": w.partner_version["in"]}),
        STAFF),
    "api_create_mou": WriteCase(
        lambda w, out: Call("POST", f"{API}/mous", json={
            "judul": "MoU baru uji", "wilayah": "64.02", "mitra_ids": [w.partner["in"]]}),
        ADMIN),
    # "desa" out: the villages are partly outside the scope (one in, one out).
    "api_create_agreement": WriteCase(
        lambda w, out: Call("POST", f"{API}/agreements", json={
            "judul": "Kerja sama baru uji", "mitra_ids": [w.partner["in"]], "lingkup": ["umkm"],
            "desa": [VILLAGE["in"], VILLAGE[w.far]] if out == "desa" else [VILLAGE["in"]]}),
        STAFF, {"desa": "village"}),
    "api_update_agreement": WriteCase(
        lambda w, out: Call(
            "PATCH", f"{API}/agreements/{w.agreement[s(w, out, 'agreement')]}", json={
                "judul": "Judul diubah", "versi": w.agreement_version[s(w, out, "agreement")],
                "desa": ([VILLAGE["in"], VILLAGE[w.far]] if out == "desa"
                         else [VILLAGE[s(w, out, "agreement")]])}),
        STAFF, {"agreement": "record", "desa": "village"}),
    "api_agreement_transition": WriteCase(
        lambda w, out: Call("POST", f"{API}/agreements/{w.agreement[s(w, out, 'agreement')]}"
                            "/transitions", json={"target": "diakhiri", "note": "uji",
                                                   "konfirmasi": True}),
        STAFF, {"agreement": "record"}),
    "api_create_commitment": WriteCase(
        lambda w, out: Call("POST", f"{API}/agreements/{w.agreement[s(w, out, 'agreement')]}"
                            "/commitments", json={"kegiatan": "Pelatihan",
                                                  "anggaran_rupiah": 1_000_000}),
        STAFF, {"agreement": "record"}),
    # The commitment must be the agreement's own: it moves with the agreement.
    "api_create_report": WriteCase(
        lambda w, out: Call("POST", f"{API}/agreements/{w.running[s(w, out, 'agreement')]}"
                            "/reports", json={
                                "tanggal": REPORT_DAY, "ringkasan": "Kemajuan uji",
                                "realisasi_rupiah": 1_000,
                                "komitmen_id": w.commitment[s(w, out, "agreement")]}),
        STAFF | {"mitra"}, {"agreement": "record"}),
    "api_put_evaluation": WriteCase(
        lambda w, out: Call("PUT", f"{API}/agreements/{w.running[s(w, out, 'agreement')]}"
                            "/evaluation", json={"tanggal": "2025-12-01", "ringkasan": "Baik",
                                                 "nilai": 4}),
        STAFF, {"agreement": "record"}),
    "api_upload_document": WriteCase(
        lambda w, out: Call("POST", f"{API}/agreements/{w.agreement[s(w, out, 'agreement')]}"
                            "/documents", form={"jenis": "kak", "judul": "KAK uji"},
                            files={"berkas": ("kak.pdf", PDF, "application/pdf")}),
        STAFF | {"mitra", "operator_desa"}, {"agreement": "record"}),
    # pages
    "partner_create": WriteCase(
        lambda w, out: Call("POST", "/mitra/baru", form={
            "nama": "Mitra Baru Halaman", "jenis": "csr_swasta", "bidang": "umkm"}),
        STAFF),
    "mou_create": WriteCase(
        lambda w, out: Call("POST", "/kerja-sama/mou/baru", form={
            "judul": "MoU halaman uji", "wilayah": "64.02", "mitra": str(w.partner["in"])}),
        ADMIN),
    "agreement_create": WriteCase(
        lambda w, out: Call("POST", "/kerja-sama/baru", form=_agreement_form(w, out, "in")),
        STAFF, {"desa": "village"}),
    "agreement_edit": WriteCase(
        lambda w, out: Call(
            "POST", f"/kerja-sama/{w.agreement[s(w, out, 'agreement')]}/ubah", form={
                **_agreement_form(w, out, s(w, out, "agreement")),
                "versi": str(w.agreement_version[s(w, out, "agreement")])}),
        STAFF, {"agreement": "record", "desa": "village"}),
    "agreement_advance": WriteCase(
        lambda w, out: Call("POST", f"/kerja-sama/{w.agreement[s(w, out, 'agreement')]}/tahap",
                            form={"tahap": "diakhiri", "catatan": "uji", "konfirmasi": "1"}),
        STAFF, {"agreement": "record"}),
    "agreement_add_commitment": WriteCase(
        lambda w, out: Call("POST", f"/kerja-sama/{w.agreement[s(w, out, 'agreement')]}/komitmen",
                            form={"kegiatan": "Pelatihan", "anggaran": "1.000.000",
                                  "tenggat": "2025-12-31"}),
        STAFF, {"agreement": "record"}),
    "agreement_add_report": WriteCase(
        lambda w, out: Call("POST", f"/kerja-sama/{w.running[s(w, out, 'agreement')]}/laporan",
                            form={"tanggal": REPORT_DAY, "ringkasan": "Kemajuan uji",
                                  "realisasi": "1000",
                                  "komitmen": str(w.commitment[s(w, out, "agreement")])}),
        STAFF | {"mitra"}, {"agreement": "record"}),
    "agreement_evaluate": WriteCase(
        lambda w, out: Call("POST", f"/kerja-sama/{w.running[s(w, out, 'agreement')]}/evaluasi",
                            form={"tanggal": "2025-12-01", "ringkasan": "Baik", "nilai": "4"}),
        STAFF, {"agreement": "record"}),
    "agreement_upload": WriteCase(
        lambda w, out: Call("POST", f"/kerja-sama/{w.agreement[s(w, out, 'agreement')]}/dokumen",
                            form={"jenis": "kak", "judul": "KAK uji"},
                            files={"berkas": ("kak.pdf", PDF, "application/pdf")}),
        STAFF | {"mitra", "operator_desa"}, {"agreement": "record"}),
}


# ------------------------------------------------------------------ mentoring: programs


def _program_body(w: World, out: str | None) -> dict[str, Any]:
    return {"nama": "Program baru uji", "sumber_dana": "kemitraan", "sasaran": "umkm",
            "desa": [VILLAGE["in"], VILLAGE[w.far]] if out == "desa" else [VILLAGE["in"]],
            "kriteria": [{"kind": "omzet_minimal", "value": 5_000_000}],
            "komitmen_id": w.commitment[s(w, out, "komitmen")]}


def _session_call(w: World, out: str | None, page: bool) -> Call:
    """On the program of both sides (so that each attendee and village may be out alone), or
    on the out-of-scope program with its own attendee."""
    if out == "program":
        program, attendee = w.program[w.far], w.enrolment[w.far]
    else:
        program, attendee = w.shared_program, w.shared_enrolment[s(w, out, "hadir")]
    village = VILLAGE[s(w, out, "desa", "program")]
    fields = {"tanggal": DAY, "jenis": "pelatihan", "pendamping": "Pendamping Uji",
              "topik": "Pemasaran", "desa": village}
    if page:
        return Call("POST", f"/pendampingan/program/{program}/sesi",
                    form={**fields, "hadir": str(attendee), "peserta": str(attendee)})
    return Call("POST", f"{API}/programs/{program}/sessions",
                json={**fields, "hadir": [attendee]})


def _enrol_call(w: World, out: str | None, page: bool) -> Call:
    """Enrol a recorded UMKM; on the page, "desa_baru" records a new one in that village and
    enrols it in one step."""
    program = w.program[w.far] if out == "program" else w.shared_program
    umkm = w.free_umkm[s(w, out, "program", "umkm")]
    if page and out == "desa_baru":
        return Call("POST", f"/pendampingan/program/{program}/peserta", form={
            "cara": "baru", "tanggal": DAY, "desa": VILLAGE[w.far], "nama_usaha": "Usaha Baru",
            "pemilik": "Pemilik Baru"})
    if page:
        return Call("POST", f"/pendampingan/program/{program}/peserta",
                    form={"cara": "pilih", "tanggal": DAY, "penerima": str(umkm)})
    return Call("POST", f"{API}/programs/{program}/enrolments",
                json={"umkm_id": umkm, "tanggal": DAY})


def _program_form(w: World, out: str | None) -> dict[str, Any]:
    return {"nama": "Program halaman uji", "sumber_dana": "apbd", "sasaran": "umkm",
            "tahap": "Asesmen\nPelatihan\nMandiri", "nilai_omzet_minimal": "5.000.000",
            "anggaran": "0",
            "desa": [VILLAGE["in"], VILLAGE[w.far]] if out == "desa" else [VILLAGE["in"]]}


PROGRAMS: dict[str, WriteCase] = {
    "api_create_program": WriteCase(
        lambda w, out: Call("POST", f"{API}/programs", json=_program_body(w, out)),
        STAFF, {"desa": "village", "komitmen": "record"}),
    "api_create_session": WriteCase(
        lambda w, out: _session_call(w, out, page=False),
        STAFF, {"program": "record", "hadir": "record", "desa": "village"}),
    "api_create_enrolment": WriteCase(
        lambda w, out: _enrol_call(w, out, page=False),
        EDITORS, {"program": "record", "umkm": "record"}),
    "mentoring_create_program": WriteCase(
        lambda w, out: Call("POST", "/pendampingan/program", form=_program_form(w, out)),
        STAFF, {"desa": "village"}),
    "mentoring_record_session": WriteCase(
        lambda w, out: _session_call(w, out, page=True),
        STAFF, {"program": "record", "hadir": "record", "desa": "village"}),
    "mentoring_enrol": WriteCase(
        lambda w, out: _enrol_call(w, out, page=True),
        EDITORS, {"program": "record", "umkm": "record", "desa_baru": "village"}),
}


# ------------------------------------------------------------------ mentoring: one enrolment

ENROLMENT_STEPS = {  # (API segment, JSON body, page segment, form)
    "assess": ("assessment", {"tanggal": DAY, "jawaban": {"produksi": True}},
               "asesmen", {"tanggal": DAY, "jawaban": "produksi"}),
    "move_stage": ("stage", {"tahap": 2}, "tahap", {"tahap": "2"}),
    "record_outcome": ("outcomes", {"tanggal": DAY, "omzet_bulanan": 4_000_000},
                       "hasil", {"tanggal": DAY, "omzet": "4.000.000"}),
    "graduate": ("graduate", {"tanggal": DAY}, "lulus", {"tanggal": DAY}),
    "leave": ("leave", {"alasan": "pindah", "tanggal": DAY}, "keluar",
              {"alasan": "pindah", "tanggal": DAY}),
}


def _enrolment_cases() -> dict[str, WriteCase]:
    cases: dict[str, WriteCase] = {}
    for step, (api_segment, body, page_segment, form) in ENROLMENT_STEPS.items():
        cases[f"api_{step}"] = WriteCase(
            lambda w, out, seg=api_segment, body=body: Call(
                "POST", f"{API}/enrolments/{w.enrolment[s(w, out, 'enrolment')]}/{seg}", json=body),
            EDITORS, {"enrolment": "record"})
        cases[f"mentoring_{step}"] = WriteCase(
            lambda w, out, seg=page_segment, form=form: Call(
                "POST", f"/pendampingan/peserta/{w.enrolment[s(w, out, 'enrolment')]}/{seg}",
                form=form),
            EDITORS, {"enrolment": "record"})
    return cases


# ------------------------------------------------------------------ mentoring: people, markets


def _group_form(w: World, out: str | None) -> dict[str, Any]:
    """Members come from the group's village: they move with it when `desa` is out."""
    return {"desa": VILLAGE[s(w, out, "desa")], "nama_kelompok": "Kelompok baru uji",
            "anggota_rt": str(w.household[s(w, out, "desa", "anggota_rt")]),
            "anggota_umkm": str(w.umkm[s(w, out, "desa", "anggota_umkm")])}


def _contract_body(w: World, out: str | None) -> dict[str, Any]:
    supplier = ({"kelompok_id": w.group[w.far]} if out == "kelompok"
                else {"umkm_id": w.umkm[s(w, out, "umkm")]})
    return {"pembeli_id": w.buyer, "produk": "Amplang", "harga_rupiah": 40_000,
            "mulai": DAY, **supplier}


CONTRACT_FORM = {"pembeli": "", "produk": "Amplang", "harga": "40.000", "mulai": DAY}


def _contract_form(w: World) -> dict[str, Any]:
    return {**CONTRACT_FORM, "pembeli": str(w.buyer)}


PEOPLE: dict[str, WriteCase] = {
    "api_create_household": WriteCase(
        lambda w, out: Call("POST", f"{API}/households", json={
            "no_kk": "6402049999000001", "nama_kepala_keluarga": "Kepala Baru",
            "desa": VILLAGE[s(w, out, "desa")], "kelas_kesejahteraan": "prasejahtera"}),
        EDITORS, {"desa": "village"}),
    "api_create_umkm": WriteCase(
        lambda w, out: Call("POST", f"{API}/umkm", json={
            "nama": "Usaha Baru", "pemilik": "Pemilik Baru", "desa": VILLAGE[s(w, out, "desa")],
            "rumah_tangga_id": w.household[s(w, out, "rumah_tangga")]}),
        EDITORS, {"desa": "village", "rumah_tangga": "record"}),
    "api_create_buyer": WriteCase(
        lambda w, out: Call("POST", f"{API}/buyers", json={"nama": "Toko Baru", "jenis": "toko"}),
        STAFF),
    # One UMKM or one group: the in-scope request names an UMKM.
    "api_create_contract": WriteCase(
        lambda w, out: Call("POST", f"{API}/contracts", json=_contract_body(w, out)),
        EDITORS, {"umkm": "record", "kelompok": "record"}),
    "api_create_delivery": WriteCase(
        lambda w, out: Call("POST", f"{API}/contracts/{w.contract[s(w, out, 'contract')]}"
                            "/deliveries", json={"tanggal": DAY, "volume": 5,
                                                 "nilai_rupiah": 200_000}),
        EDITORS, {"contract": "record"}),
    "mentoring_register_household": WriteCase(
        lambda w, out: Call("POST", "/pendampingan/rumah-tangga", form={
            "desa": VILLAGE[s(w, out, "desa")], "no_kk": "6402049999000002",
            "kepala": "Kepala Baru", "kelas": "prasejahtera"}),
        EDITORS, {"desa": "village"}),
    "mentoring_register_umkm": WriteCase(
        lambda w, out: Call("POST", "/pendampingan/umkm", form={
            "desa": VILLAGE[s(w, out, "desa")], "nama_usaha": "Usaha Baru",
            "pemilik": "Pemilik Baru"}),
        EDITORS, {"desa": "village"}),
    "mentoring_register_group": WriteCase(
        lambda w, out: Call("POST", "/pendampingan/kelompok", form=_group_form(w, out)),
        EDITORS, {"desa": "village", "anggota_rt": "record", "anggota_umkm": "record"},
        bound=frozenset({"anggota_rt", "anggota_umkm"})),
    "mentoring_update_umkm": WriteCase(
        lambda w, out: Call("POST", f"/pendampingan/umkm/{w.umkm[s(w, out, 'umkm')]}/ubah", form={
            "nib": "1234567890123", "tenaga_kerja": "3",
            "versi": str(w.umkm_version[s(w, out, "umkm")])}),
        EDITORS, {"umkm": "record"}),
    "mentoring_upload_umkm_photo": WriteCase(
        lambda w, out: Call("POST", f"/pendampingan/umkm/{w.umkm[s(w, out, 'umkm')]}/foto",
                            files={"foto": ("usaha.png", PNG, "image/png")}),
        EDITORS, {"umkm": "record"}),
    "mentoring_create_buyer": WriteCase(
        lambda w, out: Call("POST", "/pendampingan/pembeli", form={
            "nama": "Toko Baru Halaman", "jenis": "toko"}),
        STAFF),
    "mentoring_umkm_contract": WriteCase(
        lambda w, out: Call("POST", f"/pendampingan/umkm/{w.umkm[s(w, out, 'umkm')]}/kontrak",
                            form=_contract_form(w)),
        EDITORS, {"umkm": "record"}),
    "mentoring_group_contract": WriteCase(
        lambda w, out: Call("POST", f"/pendampingan/kelompok/{w.group[s(w, out, 'group')]}/kontrak",
                            form=_contract_form(w)),
        EDITORS, {"group": "record"}),
    "mentoring_record_delivery": WriteCase(
        lambda w, out: Call("POST", f"/pendampingan/kontrak/{w.contract[s(w, out, 'contract')]}"
                            "/pengiriman", form={"tanggal": DAY, "volume": "5",
                                                 "nilai": "200.000"}),
        EDITORS, {"contract": "record"}),
}


# ------------------------------------------------------------------ the registry

DEFINITIVE = {"in": "64.02.04.2098", "out": "64.02.02.2098"}  # free codes in each kecamatan

REGISTRY: dict[str, WriteCase] = {
    "api_create_persiapan": WriteCase(
        lambda w, out: Call("POST", f"{API}/villages/{VILLAGE[s(w, out, 'kode')]}/persiapan",
                            json={"nama": "Desa Uji Baru"}),
        ADMIN, {"kode": "village"}),
    "api_promote_persiapan": WriteCase(
        lambda w, out: Call("POST", f"{API}/villages/{w.persiapan[s(w, out, 'kode')]}/promote",
                            json={"kode_definitif": DEFINITIVE[s(w, out, "kode")]}),
        ADMIN, {"kode": "village"}),
    "persiapan_submit": WriteCase(
        lambda w, out: Call("POST", f"/desa/{VILLAGE[s(w, out, 'kode')]}/persiapan",
                            form={"name": "Desa Uji Halaman"}),
        ADMIN, {"kode": "village"}),
}

# ------------------------------------------------------------------ report verification


def _review(w: World, out: str | None) -> tuple[int, int]:
    """The agreement and the submitted report: "agreement" out takes the out-of-scope side's
    agreement with its own report; "report" out, a report about the out-of-scope village on
    an agreement of both sides' villages (the pendamping sees the agreement, not the report).
    A report of another agreement is refused for everyone (ANOTHER_RECORDS_CASES)."""
    side = s(w, out, "agreement")
    report = w.far_village_report if out == "report" else w.submitted_report[side]
    return w.review_agreement[side], report


REVIEW_REFS: dict[str, Kind] = {"agreement": "record", "report": "record"}

REVIEWS: dict[str, WriteCase] = {
    "api_verify_report": WriteCase(
        lambda w, out: Call("POST", "{}/agreements/{}/reports/{}/verification".format(
            API, *_review(w, out)), json={"keputusan": "diverifikasi", "catatan": "Sesuai"}),
        STAFF, REVIEW_REFS),
    "agreement_verify_report": WriteCase(
        lambda w, out: Call("POST", "/kerja-sama/{}/laporan/{}/verifikasi".format(
            *_review(w, out)), form={"keputusan": "dikembalikan",
                                     "catatan": "Lampirkan kuitansi"}),
        STAFF, REVIEW_REFS),
}


# ------------------------------------------------------------------ accounts

EVERYONE = frozenset(USERS)
NEW_PASSWORD = "kopi-jendela-sungai-merah"  # passes the rule (zxcvbn score >= 3)


def _own_session(w: World, out: str | None) -> str:
    """The acting user's second session (not the one it is logged in with, so that the
    request is not its own logout), or another user's ("sesi" out)."""
    return w.other_session if out == "sesi" else w.own_session[w.acting]


def _own_token(w: World, out: str | None) -> int:
    return w.other_token if out == "token" else w.own_token[w.acting]


# Every role manages its own account: the out-of-scope reference is another user's session
# or token (404, as if it did not exist).
OWN_ACCOUNT: dict[str, WriteCase] = {
    "api_change_own_password": WriteCase(
        lambda w, out: Call("POST", f"{API}/me/password", json={
            "current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        EVERYONE),
    "api_end_own_other_sessions": WriteCase(
        lambda w, out: Call("DELETE", f"{API}/me/sessions"), EVERYONE),
    "api_end_own_session": WriteCase(
        lambda w, out: Call("DELETE", f"{API}/me/sessions/{_own_session(w, out)}"),
        EVERYONE, {"sesi": "own"}),
    "api_create_own_token": WriteCase(
        lambda w, out: Call("POST", f"{API}/me/tokens", json={"name": "uji",
                                                              "expires_days": 30}),
        EVERYONE),
    "api_revoke_own_token": WriteCase(
        lambda w, out: Call("DELETE", f"{API}/me/tokens/{_own_token(w, out)}"),
        EVERYONE, {"token": "own"}),
    "own_password_submit": WriteCase(
        lambda w, out: Call("POST", "/akun/kata-sandi", form={
            "current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD}),
        EVERYONE),
    "own_end_other_sessions": WriteCase(
        lambda w, out: Call("POST", "/akun/sesi/akhiri-lain"), EVERYONE),
    "own_end_session": WriteCase(
        lambda w, out: Call("POST", f"/akun/sesi/{_own_session(w, out)}/akhiri"),
        EVERYONE, {"sesi": "own"}),
    "own_create_token": WriteCase(
        lambda w, out: Call("POST", "/akun/token", form={"name": "uji", "expires_days": "30"}),
        EVERYONE),
    "own_revoke_token": WriteCase(
        lambda w, out: Call("POST", f"/akun/token/{_own_token(w, out)}/cabut"),
        EVERYONE, {"token": "own"}),
}

# The admin's routes act on OTHER_USER (not a logged-in role user).
ADMIN_ACCOUNTS: dict[str, WriteCase] = {
    "api_deactivate_user": WriteCase(
        lambda w, out: Call("POST", f"{API}/users/{OTHER_USER}/deactivate"), ADMIN),
    "api_activate_user": WriteCase(
        lambda w, out: Call("POST", f"{API}/users/{OTHER_USER}/activate"), ADMIN),
    "api_reset_password": WriteCase(
        lambda w, out: Call("POST", f"{API}/users/{OTHER_USER}/password-reset"), ADMIN),
    "api_end_user_sessions": WriteCase(
        lambda w, out: Call("DELETE", f"{API}/users/{OTHER_USER}/sessions"), ADMIN),
    "api_revoke_user_token": WriteCase(
        lambda w, out: Call("DELETE", f"{API}/users/{OTHER_USER}/tokens/{w.other_token}"),
        ADMIN),
    "admin_deactivate_user": WriteCase(
        lambda w, out: Call("POST", f"/admin/pengguna/{OTHER_USER}/nonaktifkan"), ADMIN),
    "admin_activate_user": WriteCase(
        lambda w, out: Call("POST", f"/admin/pengguna/{OTHER_USER}/aktifkan"), ADMIN),
    "admin_reset_password": WriteCase(
        lambda w, out: Call("POST", f"/admin/pengguna/{OTHER_USER}/reset-sandi"), ADMIN),
    "admin_end_user_sessions": WriteCase(
        lambda w, out: Call("POST", f"/admin/pengguna/{OTHER_USER}/sesi/akhiri"), ADMIN),
    "admin_revoke_user_token": WriteCase(
        lambda w, out: Call("POST", f"/admin/pengguna/{OTHER_USER}/token/{w.other_token}/cabut"),
        ADMIN),
}

# accounts (issue 17): the admin creates and edits accounts; everyone chooses their digest.
ACCOUNT_FORMS: dict[str, WriteCase] = {
    "admin_create_user": WriteCase(
        lambda w, out: Call("POST", "/admin/pengguna/baru", form={
            "nama_pengguna": "wa.baru", "nama_lengkap": "Akun Baru", "peran": "viewer",
            "sandi_cara": "buat"}), ADMIN),
    "admin_edit_user": WriteCase(
        lambda w, out: Call("POST", f"/admin/pengguna/{OTHER_USER}/ubah", form={
            "nama_lengkap": "Nama Diganti", "email": "lain@contoh.go.id", "peran": "mitra"}),
        ADMIN),
    "own_digest_submit": WriteCase(
        lambda w, out: Call("POST", "/akun/ringkasan", form={
            "frequency": "weekly", "email": "saya@contoh.go.id"}), EVERYONE),
    "api_create_user": WriteCase(
        lambda w, out: Call("POST", f"{API}/users", json={
            "username": "wa.baru", "role": "viewer", "full_name": "Akun Baru"}), ADMIN),
    "api_update_user": WriteCase(
        lambda w, out: Call("PUT", f"{API}/users/{OTHER_USER}", json={
            "full_name": "Nama Diganti", "email": "lain@contoh.go.id", "role": "mitra"}),
        ADMIN),
    "api_set_own_digest": WriteCase(
        lambda w, out: Call("PUT", f"{API}/me/digest", json={
            "frequency": "daily", "email": "saya@contoh.go.id"}), EVERYONE),
}

ADDED: dict[str, WriteCase] = {**REVIEWS, **OWN_ACCOUNT, **ADMIN_ACCOUNTS, **ACCOUNT_FORMS}

# A record named under another one it does not belong to: refused (404) for every writer,
# the admin included, and nothing changes. Route → the request.
ANOTHER_RECORDS_CASES: dict[str, Callable[[World], Call]] = {
    "api_verify_report": lambda w: Call(
        "POST", f"{API}/agreements/{w.review_agreement['in']}/reports/"
        f"{w.submitted_report['out']}/verification", json={"keputusan": "diverifikasi"}),
    "agreement_verify_report": lambda w: Call(
        "POST", f"/kerja-sama/{w.review_agreement['in']}/laporan/{w.submitted_report['out']}"
        "/verifikasi", form={"keputusan": "diverifikasi"}),
    "api_revoke_user_token": lambda w: Call(
        "DELETE", f"{API}/users/{OTHER_USER}/tokens/{w.own_token['viewer']}"),
    "admin_revoke_user_token": lambda w: Call(
        "POST", f"/admin/pengguna/{OTHER_USER}/token/{w.own_token['viewer']}/cabut"),
}

def _square(code: str) -> bytes:
    ring = [[117.2, -0.6], [117.25, -0.6], [117.25, -0.55], [117.2, -0.55], [117.2, -0.6]]
    return json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"kode": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}).encode()


# the map (issue 17): an admin imports village boundaries from a region's map page
MAPS: dict[str, WriteCase] = {
    "region_map_import": WriteCase(
        lambda w, out: Call("POST", f"/wilayah/{VILLAGE['in'][:8]}/peta/batas",
                            form={"sumber": "Uji"},
                            files={"berkas": ("batas.geojson", _square(VILLAGE["in"]),
                                              "application/geo+json")}), ADMIN),
}


def _idm_csv(code: str) -> bytes:
    scores = [(7 + position * 3) % 6 for position in range(50)]
    rows = [["kode_desa", "tahun", *SCORE_COLUMNS], [code.replace(".", ""), "2023", *scores]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


WRITE_CASES: dict[str, WriteCase] = {
    **PARTNERSHIPS, **PROGRAMS, **_enrolment_cases(), **PEOPLE, **REGISTRY, **ADDED, **MAPS,
}

# Cases, and their references, that also exist in Sungai Meriam ("near"): outside the
# operator's village but inside the pendamping's kecamatan.
NEAR_CASES: dict[str, tuple[str, ...]] = {
    "api_create_household": ("desa",), "mentoring_register_household": ("desa",),
    "api_create_umkm": ("desa", "rumah_tangga"), "mentoring_register_umkm": ("desa",),
    "mentoring_register_group": ("desa", "anggota_rt", "anggota_umkm"),
    "api_create_enrolment": ("umkm",), "mentoring_enrol": ("umkm", "desa_baru"),
}

# POSTs that change no record: each must leave the database as it was, for every role.
READ_ONLY_POSTS: dict[str, Callable[[World], Call]] = {
    "village_idm_whatif": lambda w: Call("POST", f"/desa/{VILLAGE['in']}/idm/simulasi", form={
        "tahun": "2023", "indikator": "IKE 7", "skor": "5"}),
    "village_indeks_desa_whatif": lambda w: Call(
        "POST", f"/desa/{VILLAGE['in']}/indeks-desa/simulasi", form={
            "tahun": "2025", "item": "1", "skor": "5"}),
    "api_village_indeks_desa_whatif": lambda w: Call(
        "POST", f"{API}/villages/{VILLAGE['in']}/indeks-desa/what-if", json={
            "naikkan": ["1=5"]}),
    "region_plan_run": lambda w: Call("POST", "/wilayah/64.02.04/rencana", form={
        "anggaran": "1.000.000.000"}),
    "api_region_plan": lambda w: Call("POST", f"{API}/regions/64.02.04/plan", json={
        "anggaran_rupiah": 1_000_000_000}),
    # an upload to /impor is checked and previewed; it waits, outside the database, for the
    # uploader's confirmation (import_confirm)
    "import_upload": lambda w: Call("POST", "/impor", form={"jenis": "idm"}, files={
        "berkas": ("idm.csv", _idm_csv(VILLAGE["in"]), "text/csv")}),
}

# Unsafe routes that manage the login session itself (covered by tests/web/test_security.py).
NOT_WRITES = {
    "login_submit": "starts a session (login throttling and CSRF: test_security.py)",
    "logout": "ends the caller's own session",
    "set_language": "sets the caller's language cookie",
    "import_confirm": "applies the caller's own upload, staged under a token bound to the "
    "uploading user (another user's token answers 404); roles, scope, each row's village and "
    "the all-or-nothing write: tests/imports/test_import_pages.py and test_import_service.py",
}
