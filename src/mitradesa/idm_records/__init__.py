"""Stored IDM results per village-year: import, show, export, what-if (uses mitradesa.idm)."""
