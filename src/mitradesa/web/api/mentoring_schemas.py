"""Request and response schemas of the mentoring API (XCreate / XUpdate / XRead naming).

Keys are the Indonesian words `mitradesa mentoring … --format json` uses; money in whole
rupiah, dates as YYYY-MM-DD, village codes dotted. NIK and KK numbers are masked for roles
that do not need them (all but admin and pendamping).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class CriterionRead(BaseModel):
    kind: str = Field(description="omzet_minimal, pendapatan_minimal, kontrak_pembeli, "
                                  "di_atas_prasejahtera, legalitas, tenaga_kerja_minimal")
    value: int | str | None = None
    label: str


class CriterionCreate(BaseModel):
    kind: str
    value: int | str | None = Field(None, description="Rupiah, people, or nib/pirt/halal/bpom")


class ProgramRead(BaseModel):
    id: int
    nama: str
    sumber_dana: str = Field(description="apbd, dana_desa, kemitraan, baznas, csr, lainnya")
    catatan_sumber_dana: str
    komitmen_id: int | None = Field(description="The partnership commitment that funds it")
    sasaran: str = Field(description="umkm, household or group")
    desa: list[str]
    mulai: date | None
    selesai: date | None
    anggaran_rupiah: int
    tahap: list[str] = Field(description="Stage names; the last one is graduation")
    kriteria: list[CriterionRead] = Field(description="Graduation criteria")
    jumlah: dict[str, int] = Field(description="Beneficiaries per status the user may see")
    demo: bool


class SpreadRead(BaseModel):
    jumlah: int
    median: float | None
    q1: float | None
    q3: float | None


class AreaRead(BaseModel):
    kode: str
    nama: str
    peserta: int
    lulus: int
    perubahan: SpreadRead


class StageCountRead(BaseModel):
    tahap: int
    nama: str
    jumlah: int


class DashboardRead(BaseModel):
    per_tahap: list[StageCountRead] = Field(description="Active people per stage; graduates "
                                                        "in the last")
    aktif: int
    lulus: int
    keluar: int
    tingkat_kelulusan: float | None = Field(description="Graduated / everyone enrolled")
    ukuran: str = Field(description="The outcome measured: monthly_turnover_rupiah (UMKM, "
                                    "groups) or household_income_rupiah (households)")
    perubahan: SpreadRead = Field(description="Change from baseline to the latest measurement")
    per_desa: list[AreaRead]
    per_kecamatan: list[AreaRead]


class ProgramDetailRead(ProgramRead):
    dasbor: DashboardRead


class ProgramCreate(BaseModel):
    nama: str = Field(min_length=2, max_length=300)
    sumber_dana: str
    sasaran: str
    desa: list[str] = Field(default_factory=list, description="Target villages")
    tahap: list[str] | None = Field(None, description="Default: the five standard stages")
    kriteria: list[CriterionCreate] = Field(description="At least one graduation criterion")
    anggaran_rupiah: int = Field(0, ge=0)
    mulai: date | None = None
    selesai: date | None = None
    catatan_sumber_dana: str = Field("", max_length=300)
    komitmen_id: int | None = None


class EnrolmentRead(BaseModel):
    """One row of `mentoring beneficiaries --format json`."""

    peserta_id: int = Field(description="The enrolment id")
    jenis: str = Field(description="umkm, household or group")
    id: int = Field(description="The beneficiary's id")
    desa: str
    tahap: int
    nama_tahap: str
    status: str = Field(description="aktif, lulus or keluar")
    terdaftar: date
    keluar: date | None
    alasan_keluar: str | None
    baseline: dict[str, Any] = Field(description="Figures at enrolment")
    terbaru: dict[str, Any] = Field(description="The latest measurement")
    nama: str
    pemilik: str | None = None
    no_kk: str | None = None
    nik: str | None = None


class StageChangeRead(BaseModel):
    dari: int | None
    ke: int
    tanggal: date = Field(description="When the step happened (entered by the user)")
    waktu: str = Field(description="When it was recorded")
    oleh: str
    catatan: str


class AssessmentRead(BaseModel):
    id: int
    tanggal: date
    jawaban: dict[str, bool]
    tahap: int
    catatan: str


class OutcomeRead(BaseModel):
    id: int
    tanggal: date
    omzet_bulanan: int | None
    tenaga_kerja: int | None
    pendapatan_rumah_tangga: int | None
    kelas_kesejahteraan: str | None
    catatan: str


class CriterionCheckRead(BaseModel):
    label: str
    terpenuhi: bool
    keterangan: str


class EnrolmentDetailRead(EnrolmentRead):
    program_id: int
    catatan_keluar: str
    riwayat_tahap: list[StageChangeRead]
    asesmen: list[AssessmentRead]
    hasil: list[OutcomeRead]
    kriteria_kelulusan: list[CriterionCheckRead] = Field(description="Each criterion, met or not")


class EnrolmentCreate(BaseModel):
    """Exactly one of the ids, of the program's target type."""

    umkm_id: int | None = None
    household_id: int | None = None
    group_id: int | None = None
    tanggal: date | None = Field(None, description="Default: today")


class AssessmentCreate(BaseModel):
    tanggal: date | None = None
    jawaban: dict[str, bool] = Field(description="produksi, mutu_legalitas, akses_pasar: met?")
    catatan: str = ""


class StageUpdate(BaseModel):
    tahap: int = Field(ge=1, description="Not the last one: that is reached by graduating")
    tanggal: date | None = Field(None, description="When the move happened; default today")
    catatan: str = Field("", description="Required when moving back")


class OutcomeCreate(BaseModel):
    tanggal: date | None = None
    omzet_bulanan: int | None = Field(None, ge=0)
    tenaga_kerja: int | None = Field(None, ge=0)
    pendapatan_rumah_tangga: int | None = Field(None, ge=0)
    kelas_kesejahteraan: str | None = None
    catatan: str = ""


class GraduationCreate(BaseModel):
    tanggal: date | None = None


class LeaveCreate(BaseModel):
    alasan: str = Field(description="pindah, menolak, meninggal, tidak_ditemukan")
    tanggal: date | None = None
    catatan: str = ""


class HouseholdRead(BaseModel):
    id: int
    no_kk: str
    nama_kepala_keluarga: str
    nik_kepala_keluarga: str
    anggota: int
    kelas_kesejahteraan: str
    desil_p3ke: int | None
    desa: str
    pendapatan_bulanan: int | None
    demo: bool


class HouseholdCreate(BaseModel):
    no_kk: str
    nama_kepala_keluarga: str = Field(min_length=1, max_length=200)
    nik_kepala_keluarga: str = ""
    desa: str
    kelas_kesejahteraan: str
    anggota: int = Field(1, ge=1)
    desil_p3ke: int | None = Field(None, ge=1, le=10)
    pendapatan_bulanan: int | None = Field(None, ge=0)


class UmkmRead(BaseModel):
    id: int
    nama: str
    pemilik: str
    nik_pemilik: str
    desa: str
    sektor: str
    produk: str
    nib: str
    pirt: str
    halal: str
    bpom: str
    tenaga_kerja: int
    modal_rupiah: int | None
    omzet_bulanan: int | None
    rumah_tangga_id: int | None
    demo: bool


class UmkmCreate(BaseModel):
    nama: str = Field(min_length=1, max_length=200)
    pemilik: str = Field(min_length=1, max_length=200)
    nik_pemilik: str = ""
    desa: str
    sektor: str = ""
    produk: str = ""
    nib: str = ""
    pirt: str = ""
    halal: str = ""
    bpom: str = ""
    tenaga_kerja: int = Field(0, ge=0)
    modal_rupiah: int | None = Field(None, ge=0)
    omzet_bulanan: int | None = Field(None, ge=0)
    rumah_tangga_id: int | None = None


class SessionCreate(BaseModel):
    tanggal: date
    jenis: str = Field(description="pelatihan or kunjungan")
    pendamping: str = Field(min_length=1, max_length=200)
    topik: str = Field(min_length=1, max_length=300)
    hadir: list[int] = Field(default_factory=list, description="Enrolment ids present")
    tidak_hadir: list[int] = Field(default_factory=list, description="Enrolment ids absent")
    desa: str | None = None
    catatan: str = ""


class SessionRead(BaseModel):
    id: int
    program_id: int
    tanggal: date
    jenis: str
    pendamping: str
    topik: str
    desa: str | None
    hadir: list[int]
    tidak_hadir: list[int]
    catatan: str


class BuyerRead(BaseModel):
    id: int
    nama: str
    jenis: str = Field(description="hotel, toko, kantin_pemerintah, eksportir, lainnya")
    alamat: str
    kontak: str
    demo: bool


class BuyerCreate(BaseModel):
    nama: str = Field(min_length=1, max_length=200)
    jenis: str
    alamat: str = Field("", max_length=300)
    kontak: str = Field("", max_length=200)


class ContractRead(BaseModel):
    id: int
    pembeli_id: int
    pembeli: str
    umkm_id: int | None
    kelompok_id: int | None
    produk: str
    satuan: str
    harga_rupiah: int = Field(description="Per unit")
    volume_per_bulan: int | None
    mulai: date
    selesai: date | None
    volume_terkirim: int
    nilai_terkirim_rupiah: int


class ContractCreate(BaseModel):
    """For one UMKM or one group."""

    pembeli_id: int
    umkm_id: int | None = None
    kelompok_id: int | None = None
    produk: str = Field(min_length=1, max_length=200)
    satuan: str = Field("kg", max_length=30)
    harga_rupiah: int = Field(ge=0)
    volume_per_bulan: int | None = Field(None, ge=0)
    mulai: date
    selesai: date | None = None


class DeliveryRead(BaseModel):
    id: int
    kontrak_id: int
    tanggal: date
    volume: int
    nilai_rupiah: int


class DeliveryCreate(BaseModel):
    tanggal: date
    volume: int = Field(gt=0)
    nilai_rupiah: int = Field(ge=0)


class StoryProgramRead(BaseModel):
    program_id: int
    program: str
    peserta_id: int
    tahap: int
    nama_tahap: str
    status: str
    terdaftar: date
    keluar: date | None


class SuccessStoryRead(BaseModel):
    umkm: UmkmRead
    baseline: dict[str, Any]
    terbaru: dict[str, Any]
    program: list[StoryProgramRead]
    kontrak: list[ContractRead]
    nilai_terkirim_rupiah: int
    volume_terkirim: dict[str, int] = Field(description="Per unit")
    legalitas: dict[str, str] = Field(description="nib, pirt, halal, bpom: the numbers held")
    demo: bool


class PersonServedRead(BaseModel):
    kunci: str = Field(description="NIK … or KK … (masked per role)")
    nama: list[str]
    program: list[str]
    desa: list[str]


class DuplicatesRead(BaseModel):
    dilayani_beberapa_program: list[PersonServedRead]
    prasejahtera_belum_terjangkau: list[HouseholdRead]
