"""Planning splits an agreement's value between its partners without losing a rupiah."""

from __future__ import annotations

from mitradesa.analysis.planning_data import PlanRequest, load_inputs
from tests.analysis.planning_fixtures import JT, seed_plan_data
from tests.conftest import SEPATIN
from tests.partnerships.fixtures import agreement, partner


def test_an_agreement_value_split_between_three_partners_keeps_every_rupiah(db, tmp_path):
    seed_plan_data(db, tmp_path)
    three = [partner(db, f"PT Tiga {n}") for n in range(3)]
    agreement(db, three, villages=(SEPATIN,), value_rupiah=1_000_000_001)
    db.commit()
    inputs = load_inputs(db, PlanRequest("64.02", apbd=JT, dana_desa=0))
    budgets = [f.budget for f in inputs.funders if f.id.startswith("PT Tiga")]
    assert sorted(budgets) == [333_333_333, 333_333_334, 333_333_334]
    assert sum(budgets) == 1_000_000_001
