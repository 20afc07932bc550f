"""The fixed vocabularies of partnerships, with their Indonesian labels."""

from __future__ import annotations

PARTNER_KINDS: dict[str, str] = {
    "csr_swasta": "CSR perusahaan swasta",
    "csr_bumn": "CSR BUMN",
    "csr_bumd": "CSR BUMD",
    "baznas_filantropi": "BAZNAS / filantropi",
    "yayasan_lsm": "Yayasan / LSM",
    "perguruan_tinggi": "Perguruan tinggi",
    "perbankan": "Perbankan",
    "pemerintah": "Pemerintah",
    "lainnya": "Lainnya",
}

SECTORS: dict[str, str] = {
    "umkm": "UMKM",
    "pertanian": "Pertanian",
    "perikanan": "Perikanan",
    "pendampingan_usaha": "Pendampingan usaha masyarakat",
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "lingkungan": "Lingkungan",
    "infrastruktur": "Infrastruktur",
}

DOCUMENT_KINDS: dict[str, str] = {
    "keputusan_musdes": "Berita acara / keputusan Musyawarah Desa",
    "rkp_desa": "Kutipan RKP Desa yang memuat kerja sama",
    "analisis_biaya_manfaat": "Catatan analisis biaya dan manfaat",
    "kak": "Kerangka Acuan Kerja (KAK)",
    "surat_penawaran": "Surat penawaran kerja sama",
    "draf_perjanjian": "Rancangan perjanjian kerja sama",
    "perjanjian_ditandatangani": "Perjanjian yang sudah ditandatangani",
    "adendum": "Adendum perjanjian",
    "bukti_laporan": "Bukti laporan kemajuan",
    "laporan_evaluasi": "Laporan evaluasi",
    "foto": "Foto kegiatan",
    "lainnya": "Dokumen lain",
}

STAGES: dict[str, str] = {
    "persiapan": "Persiapan",
    "penawaran": "Penawaran",
    "penyusunan": "Penyusunan perjanjian",
    "penandatanganan": "Penandatanganan",
    "pelaksanaan": "Pelaksanaan",
    "evaluasi": "Evaluasi",
    "selesai": "Selesai",
    "perubahan": "Perubahan",
    "diakhiri": "Diakhiri",
}

# The agreement's minimum content (Permendagri 96/2017) as field → label.
MINIMUM_CONTENT: dict[str, str] = {
    "ruang_lingkup": "ruang lingkup",
    "bidang": "bidang kerja sama",
    "tata_cara_pelaksanaan": "tata cara dan ketentuan pelaksanaan",
    "jangka_waktu": "jangka waktu (tanggal mulai dan selesai)",
    "hak_kewajiban": "hak dan kewajiban",
    "pendanaan": "pendanaan (sumber dan nilai)",
    "tata_cara_perubahan": "tata cara perubahan, penundaan dan pembatalan",
    "penyelesaian_perselisihan": "penyelesaian perselisihan",
}

# A progress report's review by DPMD.
REPORT_STATUSES: dict[str, str] = {
    "diajukan": "Diajukan (menunggu verifikasi DPMD)",
    "diverifikasi": "Diverifikasi",
    "dikembalikan": "Dikembalikan",
}
