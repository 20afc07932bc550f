"""Synthetic demo data on the real registry, labelled "DATA DEMO (sintetis)" wherever shown."""

DEMO_LABEL = "DATA DEMO (sintetis)"
