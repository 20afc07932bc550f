"""Importers and exporters: official IDM files, Excel and CSV tables."""
