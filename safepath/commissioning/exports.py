"""The published contracts register (Local Government Transparency Code; INTERFACES.md
`safepath export contracts-register`). Columns exactly as REGISTER_COLUMNS, one row per contract."""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.commissioning.models import Contract
from safepath.core.exports import Table

REGISTER_COLUMNS = (
    "reference",
    "title",
    "department",
    "description",
    "supplier_name",
    "supplier_registration_number",
    "sme",
    "voluntary_sector",
    "total_value",
    "annual_value",
    "vat_unrecoverable",
    "start_date",
    "end_date",
    "review_date",
    "procurement_route",
)


def register_row(contract: Contract) -> list[object]:
    return [
        contract.reference,
        contract.title,
        contract.department,
        contract.description,
        contract.supplier_name,
        contract.supplier_registration_number,
        "yes" if contract.sme else "no",
        "yes" if contract.voluntary_sector else "no",
        contract.total_value,
        contract.annual_value,
        contract.vat_unrecoverable,
        contract.start_date.isoformat(),
        contract.end_date.isoformat(),
        contract.review_date.isoformat() if contract.review_date else "",
        contract.get_procurement_route_display(),
    ]


def contracts_register(contracts: QuerySet[Contract] | None = None) -> Table:
    """Every contract (the command line publishes the whole register), or those given (a
    user's download is limited to the contracts they can see). The end date is the current
    one: the initial term's end moved by approved extensions or decommissioning."""
    rows = (contracts if contracts is not None else Contract.objects.all()).order_by("reference")
    return Table(
        header=REGISTER_COLUMNS,
        rows=[register_row(c) for c in rows],
        title="Contracts register",
        notes=("Local Government Transparency Code contracts register. Values in pounds.",),
    )
