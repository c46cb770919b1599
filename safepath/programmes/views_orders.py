"""Perpetrator interventions bought order by order (spot purchase).

Two sides see an order. The ordering side (the victim's provider) orders it from the
victim's case and sees the link back to that case. The delivering side sees the person
causing harm, the dates and the status, and changes them; it never sees anything about the
victim: no name, no address, no case reference, no link. Templates get the victim's case
only through `victim_case_url`, set for the ordering side alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import WORK_CASES
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import posted
from safepath.programmes import selectors, services_orders
from safepath.programmes.choices import ORDER_TRANSITIONS, OrderStatus
from safepath.programmes.forms import PerpetratorOrderForm, PerpetratorOrderUpdateForm
from safepath.programmes.models import PerpetratorOrder
from safepath.programmes.rules import UPDATE_ORDER, VIEW_ORDERS

PAGE_SIZE = 50
STATUS_TAG = {
    OrderStatus.REQUESTED: "govuk-tag--blue",
    OrderStatus.ACCEPTED: "govuk-tag--turquoise",
    OrderStatus.IN_PROGRESS: "govuk-tag--yellow",
    OrderStatus.COMPLETED: "govuk-tag--green",
    OrderStatus.ENDED_EARLY: "govuk-tag--orange",
    OrderStatus.DECLINED: "govuk-tag--grey",
}


def _org_id(request: HttpRequest) -> int | None:
    membership = getattr(request, "membership", None)
    return membership.organisation_id if membership else None


def victim_case_url(request: HttpRequest, order: PerpetratorOrder) -> str | None:
    """The link to the victim's case, for the ordering side only (None for the delivering side)."""
    if order.ordering_organisation_id != _org_id(request):
        return None
    for name in ("cases:detail", "programmes:case_support"):
        try:
            return reverse(name, args=[order.victim_case_id])
        except NoReverseMatch:
            continue
    return None  # pragma: no cover - programmes:case_support is always installed


@dataclass(frozen=True)
class OrderRow:
    order: PerpetratorOrder
    status_tag: str
    total: Decimal
    victim_case_url: str | None


def _row(request: HttpRequest, order: PerpetratorOrder) -> OrderRow:
    return OrderRow(
        order, STATUS_TAG.get(order.status, ""), order.units * order.unit_cost, victim_case_url(request, order)
    )


def _dob(day: date | None) -> str:
    return day.strftime("%-d %b %Y") if day else _("Not known")


def perpetrator_orders(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_ORDERS)
    page = Paginator(selectors.order_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(request, order) for order in page.object_list]
    audit_many(action=Action.VIEW, request=request, objects=[r.order for r in rows], reason="perpetrator orders")
    return render(request, "programmes/orders.html", {"page": page, "rows": rows, "dob": _dob})


def _order(request: HttpRequest, pk: int) -> PerpetratorOrder:
    require_perm(request, VIEW_ORDERS)
    return get_scoped_or_404(selectors.order_list(request.user).select_related("ordered_by"), pk=pk)


def _audit_order(request: HttpRequest, order: PerpetratorOrder) -> None:
    audit_event(action=Action.VIEW, request=request, obj=order)
    audit_event(action=Action.VIEW, request=request, obj=order.person, reason=f"perpetrator order {order.pk}")


def perpetrator_order(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    _audit_order(request, order)
    context = {
        "order": order,
        "row": _row(request, order),
        "dob": _dob(order.person.date_of_birth),
        "outcome": selectors.outcome_labels().get(order.outcome, order.outcome),
        "changes": list(order.changes.select_related("by")),
        "can_update": request.user.has_perm(UPDATE_ORDER, order) and bool(ORDER_TRANSITIONS[order.status]),
        "is_delivering": order.provider_id == _org_id(request),
    }
    return render(request, "programmes/order.html", context)


def perpetrator_order_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, WORK_CASES)
    case = case_for_page(request, pk, WORK_CASES)
    people = selectors.harm_people_for(case)
    form = PerpetratorOrderForm(posted(request), people=people, providers=selectors.delivering_providers())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services_orders.perpetrator_order_create(
                request=request,
                case=case,
                person=data["person"],
                provider=data["provider"],
                token=data["token"],
                unit_description=data["unit_description"],
                unit_cost=data["unit_cost"],
                units=data["units"],
                ordered_on=data["ordered_on"],
                starts_on=data["starts_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Intervention ordered. The provider will see it in their list."))
            return redirect("programmes:perpetrator_order", pk=order.pk)
    listed = list(people)
    audit_many(action=Action.VIEW, request=request, objects=listed, reason=f"order form for case {case.pk}")
    context = case_context(request, case, "programmes:case_support") | {
        "form": form,
        "has_people": bool(listed),
        "has_providers": selectors.delivering_providers().exists(),
    }
    return render(request, "programmes/order_add.html", context)


def perpetrator_order_update(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    require_perm(request, UPDATE_ORDER, order)
    statuses = [order.status, *sorted(ORDER_TRANSITIONS[order.status], key=list(OrderStatus.values).index)]
    form = PerpetratorOrderUpdateForm(
        posted(request),
        outcomes=selectors.outcome_terms(),
        statuses=statuses,
        initial=PerpetratorOrderUpdateForm.initial_for(order),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_orders.perpetrator_order_update(
                request=request,
                order=order,
                status=data["status"],
                version=data["version"],
                outcome=data["outcome"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Order updated."))
            return redirect("programmes:perpetrator_order", pk=order.pk)
    _audit_order(request, order)
    context = {"form": form, "order": order, "dob": _dob(order.person.date_of_birth)}
    return render(request, "programmes/order_update.html", context)
