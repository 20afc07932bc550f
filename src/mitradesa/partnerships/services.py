"""Use cases of partnerships: the CLI, the API and the pages call these, nothing else.

Each takes the session and the acting user (None: the system or the operator at the
command line, who is trusted) and leaves committing to the caller. They live by noun in
`partners`, `mous`, `agreements`, `progress` and `uploads`; this module gathers them.
"""

from __future__ import annotations

from mitradesa.partnerships.agreements import (
    LOCKED_STAGES,
    REPORTING_STAGES,
    TEXT_FIELDS,
    advance,
    create_agreement,
    facts_of,
    get_agreement,
    summary_of,
    update_agreement,
    village_names_of,
    visible_agreement,
)
from mitradesa.partnerships.checks import indicator_keys
from mitradesa.partnerships.mous import create_mou, get_mou, visible_mou
from mitradesa.partnerships.partners import (
    add_partner_member,
    create_partner,
    get_partner,
    update_partner,
    visible_partner,
)
from mitradesa.partnerships.progress import (
    add_commitment,
    add_report,
    record_evaluation,
    review_report,
)
from mitradesa.partnerships.uploads import add_document

__all__ = [
    "LOCKED_STAGES", "REPORTING_STAGES", "TEXT_FIELDS", "add_commitment", "add_document",
    "add_partner_member", "add_report", "advance", "create_agreement", "create_mou",
    "create_partner", "facts_of", "get_agreement", "get_mou", "get_partner", "indicator_keys",
    "record_evaluation", "review_report", "summary_of", "update_agreement", "update_partner",
    "village_names_of", "visible_agreement", "visible_mou", "visible_partner",
]
