"""The fixed vocabularies of partnerships, with their Indonesian labels."""

from __future__ import annotations

from mitradesa.words import N_

PARTNER_KINDS: dict[str, str] = {
    "csr_swasta": N_("CSR perusahaan swasta"),
    "csr_bumn": N_("CSR BUMN"),
    "csr_bumd": N_("CSR BUMD"),
    "baznas_filantropi": N_("BAZNAS / filantropi"),
    "yayasan_lsm": N_("Yayasan / LSM"),
    "perguruan_tinggi": N_("Perguruan tinggi"),
    "perbankan": N_("Perbankan"),
    "pemerintah": N_("Pemerintah"),
    "lainnya": N_("Lainnya"),
}

SECTORS: dict[str, str] = {
    "umkm": N_("UMKM"),
    "pertanian": N_("Pertanian"),
    "perikanan": N_("Perikanan"),
    "pendampingan_usaha": N_("Pendampingan usaha masyarakat"),
    "kesehatan": N_("Kesehatan"),
    "pendidikan": N_("Pendidikan"),
    "lingkungan": N_("Lingkungan"),
    "infrastruktur": N_("Infrastruktur"),
}

DOCUMENT_KINDS: dict[str, str] = {
    "keputusan_musdes": N_("Berita acara / keputusan Musyawarah Desa"),
    "rkp_desa": N_("Kutipan RKP Desa yang memuat kerja sama"),
    "analisis_biaya_manfaat": N_("Catatan analisis biaya dan manfaat"),
    "kak": N_("Kerangka Acuan Kerja (KAK)"),
    "surat_penawaran": N_("Surat penawaran kerja sama"),
    "draf_perjanjian": N_("Rancangan perjanjian kerja sama"),
    "perjanjian_ditandatangani": N_("Perjanjian yang sudah ditandatangani"),
    "adendum": N_("Adendum perjanjian"),
    "bukti_laporan": N_("Bukti laporan kemajuan"),
    "laporan_evaluasi": N_("Laporan evaluasi"),
    "foto": N_("Foto kegiatan"),
    "lainnya": N_("Dokumen lain"),
}

STAGES: dict[str, str] = {
    "persiapan": N_("Persiapan"),
    "penawaran": N_("Penawaran"),
    "penyusunan": N_("Penyusunan perjanjian"),
    "penandatanganan": N_("Penandatanganan"),
    "pelaksanaan": N_("Pelaksanaan"),
    "evaluasi": N_("Evaluasi"),
    "selesai": N_("Selesai"),
    "perubahan": N_("Perubahan"),
    "diakhiri": N_("Diakhiri"),
}

# The agreement's minimum content (Permendagri 96/2017) as field → label.
MINIMUM_CONTENT: dict[str, str] = {
    "ruang_lingkup": N_("ruang lingkup"),
    "bidang": N_("bidang kerja sama"),
    "tata_cara_pelaksanaan": N_("tata cara dan ketentuan pelaksanaan"),
    "jangka_waktu": N_("jangka waktu (tanggal mulai dan selesai)"),
    "hak_kewajiban": N_("hak dan kewajiban"),
    "pendanaan": N_("pendanaan (sumber dan nilai)"),
    "tata_cara_perubahan": N_("tata cara perubahan, penundaan dan pembatalan"),
    "penyelesaian_perselisihan": N_("penyelesaian perselisihan"),
}

# A progress report's review by DPMD.
REPORT_STATUSES: dict[str, str] = {
    "diajukan": N_("Diajukan (menunggu verifikasi DPMD)"),
    "diverifikasi": N_("Diverifikasi"),
    "dikembalikan": N_("Dikembalikan"),
}
