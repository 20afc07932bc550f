"""The fixed vocabularies of economic mentoring, with their Indonesian labels."""

from __future__ import annotations

WELFARE_CLASSES: dict[str, str] = {
    "prasejahtera": "Prasejahtera",
    "ks1": "Keluarga Sejahtera I",
    "ks2": "Keluarga Sejahtera II",
    "ks3": "Keluarga Sejahtera III",
    "ks3_plus": "Keluarga Sejahtera III Plus",
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
