"""The fixed vocabularies of economic mentoring, with their Indonesian labels (the pages
name most of them through web/pages/mentoring_forms.LABELS; the welfare classes, official
terms, are marked for the catalogue here)."""

from __future__ import annotations

from mitradesa.words import N_

WELFARE_CLASSES: dict[str, str] = {
    "prasejahtera": N_("Prasejahtera"),
    "ks1": N_("Keluarga Sejahtera I"),
    "ks2": N_("Keluarga Sejahtera II"),
    "ks3": N_("Keluarga Sejahtera III"),
    "ks3_plus": N_("Keluarga Sejahtera III Plus"),
}

TARGET_TYPES: dict[str, str] = {"umkm": "UMKM", "household": "Rumah tangga", "group": "Kelompok"}

FUNDERS: dict[str, str] = {
    "apbd": "APBD",
    "dana_desa": "Dana Desa",
    "kemitraan": "Komitmen kerja sama mitra",
    "baznas": "BAZNAS",
    "csr": "CSR",
    "lainnya": "Lainnya",
}

LEAVE_REASONS: dict[str, str] = {
    "pindah": "Pindah",
    "menolak": "Menolak melanjutkan",
    "meninggal": "Meninggal dunia",
    "lulus": "Lulus (mandiri)",
    "tidak_ditemukan": "Tidak ditemukan",
}

DEFAULT_STAGES: tuple[str, ...] = (
    "Asesmen kebutuhan",
    "Keterampilan dasar / produksi",
    "Mutu dan legalitas produk",
    "Akses pasar",
    "Mandiri (lulus)",
)

LEGALITY: dict[str, str] = {"nib": "NIB", "pirt": "PIRT", "halal": "Halal", "bpom": "BPOM"}

BUYER_KINDS: dict[str, str] = {
    "hotel": "Hotel / restoran",
    "toko": "Toko / ritel",
    "kantin_pemerintah": "Kantin instansi pemerintah",
    "eksportir": "Eksportir",
    "lainnya": "Lainnya",
}

SESSION_KINDS: dict[str, str] = {"pelatihan": "Pelatihan", "kunjungan": "Kunjungan"}
