"""Request and response schemas of the partnerships API (XCreate / XUpdate / XRead naming).

Keys are the Indonesian words the rest of the API and `mitradesa partnerships list --format
json` use; money in whole rupiah, dates as YYYY-MM-DD, village codes dotted.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class PartnerRead(BaseModel):
    id: int
    nama: str
    jenis: str = Field(description="csr_swasta, csr_bumn, … (see PARTNER_KINDS)")
    jenis_label: str
    bidang: list[str] = Field(description="Sectors: umkm, pertanian, perikanan, …")
    wilayah: list[str] = Field(description="Region codes where the partner works")
    kontak_nama: str
    kontak_telepon: str
    kontak_email: str
    alamat: str
    catatan: str
    aktif: bool
    versi: int = Field(description="Edit version; send it back with a change (optimistic "
                                   "locking)")


class PartnerCreate(BaseModel):
    nama: str = Field(min_length=2, max_length=200)
    jenis: str
    bidang: list[str] = Field(default_factory=list)
    wilayah: list[str] = Field(default_factory=list)
    kontak_nama: str = Field("", max_length=200)
    kontak_telepon: str = Field("", max_length=50)
    kontak_email: str = Field("", max_length=200)
    alamat: str = Field("", max_length=500)
    catatan: str = ""


class PartnerUpdate(BaseModel):
    """Only the fields sent are changed."""

    nama: str | None = Field(None, min_length=2, max_length=200)
    jenis: str | None = None
    bidang: list[str] | None = None
    wilayah: list[str] | None = None
    kontak_nama: str | None = Field(None, max_length=200)
    kontak_telepon: str | None = Field(None, max_length=50)
    kontak_email: str | None = Field(None, max_length=200)
    alamat: str | None = Field(None, max_length=500)
    catatan: str | None = None
    aktif: bool | None = None
    versi: int | None = Field(None, description="Required: the `versi` the change is based "
                              "on. Missing: 422 (reason version_required); stale: 409 "
                              "(reason edit_conflict)")


class PartnerRef(BaseModel):
    id: int
    nama: str


class VillageRef(BaseModel):
    kode: str
    nama: str


class MouRead(BaseModel):
    id: int
    nomor: str
    judul: str
    wilayah: str = Field(description="Region code of the regency that signed")
    penandatangan: str
    tanggal_tanda_tangan: date | None
    tanggal_mulai: date | None
    tanggal_selesai: date | None
    lingkup: list[str]
    catatan: str
    mitra: list[PartnerRef]
    demo: bool


class MouCreate(BaseModel):
    judul: str = Field(min_length=2, max_length=300)
    wilayah: str = Field(description="Region code, e.g. 64.02")
    mitra_ids: list[int] = Field(min_length=1)
    nomor: str = Field("", max_length=100)
    penandatangan: str = Field("", max_length=200)
    tanggal_tanda_tangan: date | None = None
    tanggal_mulai: date | None = None
    tanggal_selesai: date | None = None
    lingkup: list[str] = Field(default_factory=list)
    catatan: str = ""


class AgreementRead(BaseModel):
    """One agreement in a list: the same object as `mitradesa partnerships list --format json`."""

    id: int
    nomor: str
    judul: str
    tahap: str = Field(description="persiapan … selesai, perubahan, diakhiri")
    mou_id: int | None
    mitra: list[PartnerRef]
    desa: list[VillageRef]
    lingkup: list[str]
    tanggal_mulai: date | None
    tanggal_selesai: date | None
    tanggal_tanda_tangan: date | None
    nilai_rupiah: int | None
    demo: bool


class AgreementContent(BaseModel):
    """The agreement's minimum content (Permendagri 96/2017) and its terms."""

    ruang_lingkup: str | None = None
    bidang: str | None = Field(None, max_length=300)
    tata_cara_pelaksanaan: str | None = None
    hak_kewajiban: str | None = None
    pendanaan: str | None = None
    tata_cara_perubahan: str | None = None
    penyelesaian_perselisihan: str | None = None
    nilai_rupiah: int | None = Field(None, ge=0)
    tanggal_mulai: date | None = None
    tanggal_selesai: date | None = None
    tanggal_tanda_tangan: date | None = None
    laporan_setiap_hari: int | None = Field(None, ge=7, le=366,
                                            description="Days between progress reports")


class AgreementCreate(AgreementContent):
    judul: str = Field(min_length=2, max_length=300)
    mitra_ids: list[int] = Field(default_factory=list)
    desa: list[str] = Field(default_factory=list, description="Village codes")
    lingkup: list[str] = Field(default_factory=list, description="Sectors: umkm, pertanian, …")
    mou_id: int | None = None
    nomor: str = Field("", max_length=100)


class AgreementUpdate(AgreementContent):
    """Only the fields sent are changed; once signing starts only the signing date may change
    (amend through the `perubahan` stage)."""

    judul: str | None = Field(None, min_length=2, max_length=300)
    mitra_ids: list[int] | None = None
    desa: list[str] | None = None
    versi: int | None = Field(None, description="Required: the `versi` the change is based "
                              "on. Missing: 422 (reason version_required); stale: 409 "
                              "(reason edit_conflict)")
    lingkup: list[str] | None = None
    nomor: str | None = Field(None, max_length=100)


class CommitmentRead(BaseModel):
    id: int
    kegiatan: str
    anggaran_rupiah: int
    desa: list[str]
    indikator: list[str] = Field(description="IDM indicators it aims to raise, e.g. IKE 7")
    tenggat: date | None
    mitra_id: int | None


class CommitmentCreate(BaseModel):
    kegiatan: str = Field(min_length=2, max_length=300)
    anggaran_rupiah: int = Field(ge=0)
    desa: list[str] = Field(default_factory=list, description="Default: all of the agreement's")
    indikator: list[str] = Field(default_factory=list)
    tenggat: date | None = None
    mitra_id: int | None = None


class ReportRead(BaseModel):
    id: int
    tanggal: date
    ringkasan: str
    realisasi_rupiah: int
    komitmen_id: int | None
    desa: str | None
    kemajuan_persen: int | None
    status: str = Field(description="diajukan (waiting for DPMD), diverifikasi or "
                                    "dikembalikan; only verified figures count in reports")
    catatan_verifikasi: str = Field(description="DPMD's note when it returned the report")
    tanda: list[str] = Field(description="What does not add up: realisation above the "
                                         "commitment, progress that contradicts the money")


class ReportReview(BaseModel):
    keputusan: str = Field(description="diverifikasi or dikembalikan")
    catatan: str = Field("", max_length=5000,
                         description="Required when returning: what the partner must correct")


class ReportCreate(BaseModel):
    tanggal: date
    ringkasan: str = Field(min_length=2)
    realisasi_rupiah: int = Field(0, ge=0)
    komitmen_id: int | None = None
    desa: str | None = None
    kemajuan_persen: int | None = Field(None, ge=0, le=100)


class EvaluationRead(BaseModel):
    tanggal: date
    ringkasan: str
    nilai: int = Field(description="1 (poor) … 5 (excellent)")
    rekomendasi: str


class EvaluationUpdate(BaseModel):
    tanggal: date
    ringkasan: str = Field(min_length=2)
    nilai: int = Field(ge=1, le=5)
    rekomendasi: str = ""


class DocumentRead(BaseModel):
    id: int
    jenis: str
    jenis_label: str
    judul: str
    nama_berkas: str
    tipe: str
    ukuran: int
    sha256: str
    laporan_id: int | None
    desa: list[str] = Field(description="The villages it is for (documents each village makes, "
                                        "such as the Musdes decision)")
    diunggah: str = Field(description="ISO timestamp (UTC)")
    unduh: str = Field(description="Download path")


class StageEventRead(BaseModel):
    dari: str | None
    ke: str
    waktu: str
    oleh: str
    catatan: str


class NextStepRead(BaseModel):
    tahap: str
    label: str
    boleh: bool = Field(description="True when nothing is missing")
    kurang: list[str] = Field(description="What is missing before the step is allowed")


class AgreementDetailRead(AgreementRead):
    tahap_label: str
    versi: int = Field(description="Edit version; send it back with a change (optimistic "
                                   "locking)")
    tahap_sebelum_perubahan: str | None
    alasan_pengakhiran: str
    ruang_lingkup: str
    bidang: str
    tata_cara_pelaksanaan: str
    hak_kewajiban: str
    pendanaan: str
    tata_cara_perubahan: str
    penyelesaian_perselisihan: str
    laporan_setiap_hari: int
    komitmen: list[CommitmentRead]
    laporan: list[ReportRead]
    evaluasi: EvaluationRead | None
    dokumen: list[DocumentRead]
    riwayat: list[StageEventRead]
    langkah_berikut: list[NextStepRead]


class TransitionCreate(BaseModel):
    target: str = Field(description="The stage to move to, e.g. penawaran")
    note: str = Field("", description="The reason: required for perubahan and diakhiri, and "
                      "for selesai before the end date or with verified realisation below 80% "
                      "of the commitments")
    konfirmasi: bool = Field(False, description="Must be true for the steps that cannot be "
                             "undone (selesai, diakhiri)")


class TransitionRead(BaseModel):
    id: int
    tahap: str
    tahap_label: str
    dari: str | None


class ReminderRead(BaseModel):
    jenis: str = Field(description="berakhir, laporan_terlambat or tahap_macet")
    label: str
    perjanjian_id: int
    judul: str
    pesan: str
    hari: int = Field(description="Days left (berakhir) or days overdue / waiting")


class GapRead(BaseModel):
    indikator: str = Field(description="e.g. IKE 7; on the Indeks Desa 'butir 13'")
    nama: str
    skor: int
    nilai: float = Field(description="IDM gained by raising it to 5; on the Indeks Desa the "
                                     "nilai gained by raising the item to its next level")
    bidang: list[str]
    pelaku: str = Field(description="The ministry's CSR / LAINNYA text for this score; on "
                                    "the Indeks Desa the 'lainnya' kinds the partner met")
    skor_berikut: int | None = Field(None, description="Indeks Desa: the next allowed level")


class VillageMatchRead(BaseModel):
    indeks: str = Field("idm", description="idm or indeks_desa: the family of the figures "
                                           "(idm… fields hold the nilai for indeks_desa)")
    kode_desa: str
    nama_desa: str
    kecamatan: str
    tahun: int
    idm: float
    status: str
    status_berikut: str
    tambahan_idm: float
    idm_setelah: float
    naik_status: bool
    di_wilayah_mitra: bool
    indikator: list[GapRead]
    alasan: list[str]


class PartnerMatchRead(BaseModel):
    indeks: str = Field("idm", description="idm or indeks_desa: the family matched on")
    tahun: int | None = Field(None, description="The year of the village's figures")
    mitra_id: int
    nama: str
    jenis: str
    bidang: list[str]
    di_wilayah_mitra: bool
    tambahan_idm: float
    naik_status: bool
    indikator: list[GapRead]
    alasan: list[str]
