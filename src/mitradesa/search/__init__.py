"""One search over everything a user may see: regions, partners, MoUs, agreements, UMKM,
households and business groups, by name; households and UMKM also by NIK or KK number for
the roles that may see those numbers whole."""

from mitradesa.search.engine import search
from mitradesa.search.hits import KINDS, Hit, Results
from mitradesa.search.numbers import may_search_numbers, personal_number

__all__ = ["KINDS", "Hit", "Results", "may_search_numbers", "personal_number", "search"]
