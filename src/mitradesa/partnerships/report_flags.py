"""What in a progress report does not add up, for DPMD to look at before verifying it:
realisation above the commitment, and progress that contradicts the money spent."""

from __future__ import annotations

from dataclasses import dataclass

from mitradesa.formatting import number, rupiah
from mitradesa.partnerships.models import Agreement, ProgressReport
from mitradesa.words import N_, gettext_for

# Progress and the share of the money spent further apart than this (percentage points)
# contradict each other, e.g. 100% done with 10% spent.
CONTRADICTION_POINTS = 50


@dataclass(frozen=True)
class ReportFlag:
    agreement_id: int
    report_id: int
    message: str


def _basis(agreement: Agreement, report: ProgressReport) -> int:
    """The money the report is measured against: its commitment's budget, else all the
    agreement's commitments, else its value."""
    if report.commitment_id is not None:
        found = next((c for c in agreement.commitments if c.id == report.commitment_id), None)
        if found is not None:
            return found.budget_rupiah
    return sum(c.budget_rupiah for c in agreement.commitments) or agreement.value_rupiah or 0


def _spent_so_far(agreement: Agreement, report: ProgressReport) -> int:
    """What the reports on the same commitment (or on the whole agreement) say was spent up
    to and including this one; returned reports do not count."""
    key = (report.reported_on, report.id or 0)
    return sum(r.spent_rupiah for r in agreement.reports
               if r.status != "dikembalikan" and r.commitment_id == report.commitment_id
               and (r.reported_on, r.id or 0) <= key)


def flags_of(agreement: Agreement, report: ProgressReport, locale: str = "id") -> list[str]:
    """What does not add up in `report`, in the reader's language."""
    if report.status == "dikembalikan":
        return []
    tr = gettext_for(locale)
    basis = _basis(agreement, report)
    spent = _spent_so_far(agreement, report)
    found = []
    if basis and spent > basis:
        found.append(tr(N_("Spending up to this report, %(spent)s, exceeds the commitment of "
                           "%(basis)s.")) % {"spent": rupiah(spent, locale),
                                             "basis": rupiah(basis, locale)})
    progress = report.progress_percent
    if progress == 0 and report.spent_rupiah > 0:
        found.append(tr(N_("Money spent (%(spent)s) with 0%% progress.")) % {
            "spent": rupiah(report.spent_rupiah, locale)})
    elif progress is not None and basis:
        share = spent * 100 / basis
        if abs(progress - share) >= CONTRADICTION_POINTS:
            found.append(tr(N_("Progress of %(progress)s%% does not match spending of "
                               "%(share)s%% of the commitment.")) % {
                "progress": progress, "share": number(round(share), locale)})
    return found


def report_flags(agreements: list[Agreement], locale: str = "id") -> list[ReportFlag]:
    """Every flag on the reports of `agreements`, newest report first."""
    result = []
    for agreement in agreements:
        for report in agreement.reports:
            result += [ReportFlag(agreement.id, report.id, message)
                       for message in flags_of(agreement, report, locale)]
    return sorted(result, key=lambda f: -f.report_id)
