"""Every route's access rule, declared in one place. A route without a rule is refused.

A rule names the roles that may use the route and, for routes about one region, how the
path parameter `kode` is checked against the user's location scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mitradesa.accounts.models import ROLES

Scope = Literal["none", "region", "village"]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] | None  # None: public, no login needed
    scope: Scope = "none"
    param: str = "kode"

    @property
    def public(self) -> bool:
        return self.roles is None


PUBLIC = Rule(None)
ANY_USER = Rule(frozenset(ROLES))
ADMIN = Rule(frozenset({"admin"}))
SEE_REGION = Rule(frozenset(ROLES), scope="region")
SEE_VILLAGE = Rule(frozenset(ROLES), scope="village")
ADMIN_VILLAGE = Rule(frozenset({"admin"}), scope="village")
DPMD_STAFF = Rule(frozenset({"admin", "pendamping"}))
MENTORING_READERS = Rule(frozenset({"admin", "pendamping", "operator_desa", "viewer"}))
MENTORING_EDITORS = Rule(frozenset({"admin", "pendamping", "operator_desa"}))
# A region's report lists villages across the whole region: the region itself must lie in
# the user's scope (the "village" check), not merely contain one of the user's villages.
REGION_REPORT = Rule(frozenset({"admin", "pendamping", "viewer"}), scope="village")
# A budget plan runs over every village of a region: the region itself must lie in the
# user's scope (the "village" check), and only DPMD staff plan.
PLANNERS = Rule(frozenset({"admin", "pendamping"}), scope="village")

# Route name (the handler's function name) → rule.
RULES: dict[str, Rule] = {
    # public
    "healthz": PUBLIC,
    "login_form": PUBLIC,
    "login_submit": PUBLIC,
    "set_language": PUBLIC,
    "openapi": PUBLIC,
    "swagger_ui_html": PUBLIC,
    # pages
    "logout": ANY_USER,
    "home": ANY_USER,
    "patterns": ANY_USER,
    "search_page": ANY_USER,
    "region_page": SEE_REGION,
    "village_page": SEE_VILLAGE,
    "persiapan_form": ADMIN_VILLAGE,
    "persiapan_submit": ADMIN_VILLAGE,
    "village_idm_page": SEE_VILLAGE,
    "village_idm_whatif": SEE_VILLAGE,  # read-only POST (CSRF-checked like every form)
    "region_idm_page": SEE_REGION,
    "region_idm_quality_page": SEE_REGION,
    "village_indeks_desa_page": SEE_VILLAGE,
    "village_indeks_desa_whatif": SEE_VILLAGE,  # read-only POST (CSRF-checked like every form)
    "region_indeks_desa_page": SEE_REGION,
    "region_plan_page": PLANNERS,
    "region_plan_run": PLANNERS,  # read-only POST (CSRF-checked like every form)
    "region_plan_xlsx": PLANNERS,
    # analysis pages and API: figures over the region; rows of single villages are limited
    # to the villages the user may see (as on the region's IDM page)
    "region_analysis_page": SEE_REGION,
    "region_targeting_page": SEE_REGION,
    "region_robustness_page": SEE_REGION,
    "partner_report_pdf": ANY_USER,  # the partner is checked in the handler (mitra: own only)
    "partner_report_xlsx": ANY_USER,
    "regency_report_pdf": REGION_REPORT,
    # mentoring pages: roles and villages are checked by the mentoring use cases and the pages
    "mentoring_home": MENTORING_READERS,  # a mitra account sees no mentoring records
    "mentoring_create_program": ANY_USER,
    "mentoring_program": ANY_USER,
    "mentoring_enrol": ANY_USER,
    "mentoring_record_session": ANY_USER,
    "mentoring_enrolment": MENTORING_READERS,
    "mentoring_assess": ANY_USER,
    "mentoring_move_stage": ANY_USER,
    "mentoring_record_outcome": ANY_USER,
    "mentoring_graduate": ANY_USER,
    "mentoring_leave": ANY_USER,
    "mentoring_umkm_list": ANY_USER,
    "mentoring_register_umkm": ANY_USER,
    "mentoring_household_list": ANY_USER,
    "mentoring_register_household": ANY_USER,
    "mentoring_group_list": ANY_USER,
    "mentoring_register_group": ANY_USER,
    "mentoring_umkm": MENTORING_READERS,
    "mentoring_update_umkm": ANY_USER,
    "mentoring_upload_umkm_photo": ANY_USER,
    "mentoring_umkm_photo": MENTORING_READERS,
    "mentoring_household": MENTORING_READERS,
    "mentoring_group": MENTORING_READERS,
    "mentoring_buyers": ANY_USER,
    "mentoring_create_buyer": ANY_USER,
    "mentoring_umkm_contract": ANY_USER,
    "mentoring_group_contract": ANY_USER,
    "mentoring_record_delivery": ANY_USER,
    "mentoring_success_story": MENTORING_READERS,
    "mentoring_duplicates": ANY_USER,
    # partnership pages: what lies beyond the role is checked by partnerships.services/access
    # (what a user may not see answers 404, as if it did not exist)
    "partnerships_dashboard": ANY_USER,
    "village_partner_matches": SEE_VILLAGE,
    "partner_list": ANY_USER,
    "partner_new_form": Rule(frozenset({"admin", "pendamping"})),
    "partner_create": Rule(frozenset({"admin", "pendamping"})),
    "partner_page": ANY_USER,
    "mou_list": ANY_USER,
    "mou_new_form": ADMIN,
    "mou_create": ADMIN,
    "mou_page": ANY_USER,
    "agreement_new_form": Rule(frozenset({"admin", "pendamping"})),
    "agreement_create": Rule(frozenset({"admin", "pendamping"})),
    "agreement_page": ANY_USER,
    "agreement_edit_form": Rule(frozenset({"admin", "pendamping"})),
    "agreement_edit": Rule(frozenset({"admin", "pendamping"})),
    "agreement_advance": Rule(frozenset({"admin", "pendamping"})),
    "agreement_add_commitment": Rule(frozenset({"admin", "pendamping"})),
    "agreement_add_report": Rule(frozenset({"admin", "pendamping", "mitra"})),
    "agreement_verify_report": Rule(frozenset({"admin", "pendamping"})),
    "agreement_evaluate": Rule(frozenset({"admin", "pendamping"})),
    "agreement_upload": Rule(frozenset({"admin", "pendamping", "mitra", "operator_desa"})),
    "agreement_document": ANY_USER,
    # accounts: one's own (any user) and everyone's (admin)
    "own_account_page": ANY_USER,
    "own_password_form": ANY_USER,
    "own_password_submit": ANY_USER,
    "own_end_session": ANY_USER,
    "own_end_other_sessions": ANY_USER,
    "own_create_token": ANY_USER,
    "own_revoke_token": ANY_USER,
    "admin_users_page": ADMIN,
    "admin_user_page": ADMIN,
    "admin_deactivate_user": ADMIN,
    "admin_activate_user": ADMIN,
    "admin_reset_password": ADMIN,
    "admin_end_user_sessions": ADMIN,
    "admin_revoke_user_token": ADMIN,
    "api_change_own_password": ANY_USER,
    "api_own_sessions": ANY_USER,
    "api_end_own_other_sessions": ANY_USER,
    "api_end_own_session": ANY_USER,
    "api_own_tokens": ANY_USER,
    "api_create_own_token": ANY_USER,
    "api_revoke_own_token": ANY_USER,
    "api_users": ADMIN,
    "api_user": ADMIN,
    "api_deactivate_user": ADMIN,
    "api_activate_user": ADMIN,
    "api_reset_password": ADMIN,
    "api_user_sessions": ADMIN,
    "api_end_user_sessions": ADMIN,
    "api_user_tokens": ADMIN,
    "api_revoke_user_token": ADMIN,
    # API
    "api_me": ANY_USER,
    "api_search_regions": ANY_USER,
    "api_region": SEE_REGION,
    "api_region_children": SEE_REGION,
    "api_village": SEE_VILLAGE,
    "api_create_persiapan": ADMIN_VILLAGE,
    "api_promote_persiapan": ADMIN_VILLAGE,
    "api_region_boundaries": SEE_REGION,
    "api_village_idm": SEE_VILLAGE,
    "api_region_idm": SEE_REGION,
    "api_village_indeks_desa": SEE_VILLAGE,
    "api_village_indeks_desa_whatif": SEE_VILLAGE,  # read-only POST: nothing is stored
    "api_region_indeks_desa": SEE_REGION,
    "api_region_indeks_desa_ranking": SEE_REGION,
    "api_region_plan": PLANNERS,
    "api_region_inequality": SEE_REGION,
    "api_region_targeting": SEE_REGION,
    "api_region_robustness": SEE_REGION,
    # partnerships API: what lies beyond the role is checked by partnerships.services/access
    "api_partners": ANY_USER,
    "api_partner": ANY_USER,
    "api_create_partner": Rule(frozenset({"admin", "pendamping"})),
    "api_update_partner": Rule(frozenset({"admin", "pendamping"})),
    "api_partner_matching_villages": ANY_USER,
    "api_village_matching_partners": SEE_VILLAGE,
    "api_mous": ANY_USER,
    "api_mou": ANY_USER,
    "api_create_mou": ADMIN,
    "api_agreements": ANY_USER,
    "api_agreement": ANY_USER,
    "api_create_agreement": Rule(frozenset({"admin", "pendamping"})),
    "api_update_agreement": Rule(frozenset({"admin", "pendamping"})),
    "api_agreement_transition": Rule(frozenset({"admin", "pendamping"})),
    "api_create_commitment": Rule(frozenset({"admin", "pendamping"})),
    "api_create_report": Rule(frozenset({"admin", "pendamping", "mitra"})),
    "api_verify_report": Rule(frozenset({"admin", "pendamping"})),
    "api_put_evaluation": Rule(frozenset({"admin", "pendamping"})),
    "api_upload_document": Rule(frozenset({"admin", "pendamping", "mitra", "operator_desa"})),
    "api_download_document": ANY_USER,
    "api_reminders": ANY_USER,
    # mentoring API: lists are empty for a mitra; villages are checked by the mentoring use cases
    # and the handlers (outside the scope: 404)
    "api_programs": ANY_USER,
    "api_program": MENTORING_READERS,
    "api_create_program": DPMD_STAFF,
    "api_create_session": DPMD_STAFF,
    "api_enrolments": MENTORING_READERS,
    "api_create_enrolment": MENTORING_EDITORS,
    "api_enrolment": MENTORING_READERS,
    "api_assess": MENTORING_EDITORS,
    "api_move_stage": MENTORING_EDITORS,
    "api_record_outcome": MENTORING_EDITORS,
    "api_graduate": MENTORING_EDITORS,
    "api_leave": MENTORING_EDITORS,
    "api_households": ANY_USER,
    "api_household": MENTORING_READERS,
    "api_create_household": MENTORING_EDITORS,
    "api_umkm_list": ANY_USER,
    "api_umkm": MENTORING_READERS,
    "api_create_umkm": MENTORING_EDITORS,
    "api_success_story": MENTORING_READERS,
    "api_buyers": ANY_USER,
    "api_create_buyer": DPMD_STAFF,
    "api_contracts": ANY_USER,
    "api_create_contract": MENTORING_EDITORS,
    "api_deliveries": MENTORING_READERS,
    "api_create_delivery": MENTORING_EDITORS,
    "api_duplicates": ANY_USER,
    # contribution analysis: figures over the region; villages listed only in the user's scope
    "region_contribution_page": SEE_REGION,
    "api_region_contribution": SEE_REGION,
    # exports: downloads of a page's table that are not the page's own route (?format=)
    "region_plan_csv": PLANNERS,
    # imports: /impor — DPMD staff and pendamping; each row's village is checked against the
    # user's scope by the import (outside → a problem of that row), uploads bound to the user
    "import_page": DPMD_STAFF,
    "import_template": DPMD_STAFF,
    "import_upload": DPMD_STAFF,
    "import_preview": DPMD_STAFF,
    "import_problem_report": DPMD_STAFF,
    "import_confirm": DPMD_STAFF,
    "import_result": DPMD_STAFF,
    "import_progress": DPMD_STAFF,
    # searchmap: the search over everything (each hit checked against role and scope in
    # mitradesa.search) and the map of a region's villages
    "api_search": ANY_USER,
    "region_map_page": SEE_REGION,
    "region_map_import": Rule(frozenset({"admin"}), scope="region"),
    # accounts: create and edit accounts (admin), one's own digest choice, the audit log (admin)
    "admin_new_user_form": ADMIN,
    "admin_create_user": ADMIN,
    "admin_edit_user_form": ADMIN,
    "admin_edit_user": ADMIN,
    "admin_scope_search": ADMIN,
    "admin_scope_pick": ADMIN,
    "api_create_user": ADMIN,
    "api_update_user": ADMIN,
    "own_digest_submit": ANY_USER,
    "api_own_digest": ANY_USER,
    "api_set_own_digest": ANY_USER,
    "audit_log_page": ADMIN,
}
