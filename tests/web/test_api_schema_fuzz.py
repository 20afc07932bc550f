"""Schemathesis over the whole OpenAPI spec: for requests generated from the spec (valid and
not), the API never answers 5xx and every answer matches its documented schema.

Slow group (`make test-slow`): many generated requests per operation."""

from __future__ import annotations

import pytest
import schemathesis
import schemathesis.checks as checks
from hypothesis import HealthCheck, given, settings

from mitradesa.accounts import services
from mitradesa.idm_records.importing import import_idm_files
from tests.conftest import SEPATIN, SUNGAI_MERIAM
from tests.idm_records.fixtures import write_scores_csv
from tests.partnerships.fixtures import agreement, partner

pytestmark = pytest.mark.slow
# No 5xx; status, content type, headers and body as documented. (Schema-valid requests may
# still be refused by a domain rule with a documented 400/409, so "positive data acceptance"
# is not asked.)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_headers_conformance,
          checks.response_schema_conformance]


@pytest.fixture
def token(db, make_user, tmp_path) -> str:
    """An admin's API token, and some data for the generated requests to find."""
    admin = make_user("admin.fuzz", "admin")
    csv = write_scores_csv(tmp_path / "idm.csv", [
        (SEPATIN.replace(".", ""), 2023, [3] * 50),
        (SUNGAI_MERIAM.replace(".", ""), 2023, [4] * 50)])
    import_idm_files(db, [csv], store_dir=tmp_path / "imports")
    agreement(db, [partner(db)], villages=(SUNGAI_MERIAM,))
    value = services.create_api_token(db, admin, "fuzz")
    db.commit()
    return value


def test_no_server_error_and_every_answer_matches_its_schema(app, token):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    checked, failures = [], []
    for loaded in schema.get_all_operations():
        operation = loaded.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def answers_within_its_schema(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            answers_within_its_schema()
        except (Exception, BaseExceptionGroup) as failure:
            failures.append(f"{operation.label}: {failure}")
        checked.append(operation.label)
    assert not failures, "\n\n".join(failures)
    assert len(checked) > 40  # the whole API, not a part of it
