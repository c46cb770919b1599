"""Administrators manage users and organisations; team managers see their own team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepath.accounts import rules as perms
from safepath.accounts.forms import (
    MembershipForm,
    OrganisationForm,
    SwitchMembershipForm,
    UserCreateForm,
    UserUpdateForm,
)
from safepath.accounts.middleware import SESSION_KEY
from safepath.accounts.selectors import memberships_of, organisations_for, users_for
from safepath.accounts.services import (
    membership_add,
    membership_end,
    organisation_save,
    user_create,
    user_end_sessions,
    user_send_password_link,
    user_update,
)
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted


def user_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.VIEW_USERS)
    page = Paginator(users_for(request.user).order_by("full_name", "pk"), 50).get_page(request.GET.get("page"))
    audit_many(action=Action.VIEW, request=request, objects=list(page.object_list))
    return render(request, "accounts/user_list.html", {"page": page, "can_manage": request.user.has_perm(perms.MANAGE_USERS)})


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_USERS)
    user = get_scoped_or_404(users_for(request.user), pk=pk)
    audit_event(action=Action.VIEW, request=request, obj=user)
    return render(request, "accounts/user_detail.html", {"subject": user, "can_manage": request.user.has_perm(perms.MANAGE_USERS)})


def user_create_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.MANAGE_USERS)
    form = UserCreateForm(posted(request), organisations=organisations_for(request.user).filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(request=request, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            user_send_password_link(request=request, user=user)
            messages.success(request, _("Account created. We have emailed a link to set a password."))
            return redirect("users:detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def user_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_USERS)
    user = get_scoped_or_404(users_for(request.user), pk=pk)
    require_perm(request, perms.MANAGE_USERS)
    initial = {"full_name": user.full_name, "is_active": user.is_active}
    form = UserUpdateForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        user_update(request=request, user=user, **form.cleaned_data)
        messages.success(request, _("Account updated."))
        return redirect("users:detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "subject": user, "creating": False})


def membership_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_USERS)
    user = get_scoped_or_404(users_for(request.user), pk=pk)
    require_perm(request, perms.MANAGE_USERS)
    form = MembershipForm(posted(request), organisations=organisations_for(request.user).filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            membership_add(request=request, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Role added."))
            return redirect("users:detail", pk=user.pk)
    return render(request, "accounts/membership_form.html", {"form": form, "subject": user})


@require_POST
def membership_end_view(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_USERS)
    user = get_scoped_or_404(users_for(request.user), pk=pk)
    require_perm(request, perms.MANAGE_USERS)
    membership = get_scoped_or_404(user.memberships.all(), pk=membership_pk)
    membership_end(request=request, membership=membership)
    messages.success(request, _("Role ended."))
    return redirect("users:detail", pk=user.pk)


@require_POST
def user_password_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_USERS)
    user = get_scoped_or_404(users_for(request.user), pk=pk)
    require_perm(request, perms.MANAGE_USERS)
    user_send_password_link(request=request, user=user)
    audit_event(action=Action.UPDATE, request=request, obj=user, reason="password link sent")
    messages.success(request, _("We have emailed a link to set a new password."))
    return redirect("users:detail", pk=user.pk)


def organisation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.VIEW_ORGANISATIONS)
    organisations = organisations_for(request.user).order_by("name")
    return render(request, "accounts/organisation_list.html", {"organisations": organisations, "can_manage": request.user.has_perm(perms.MANAGE_ORGANISATIONS)})


def organisation_form_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, perms.VIEW_ORGANISATIONS)
    organisation = get_scoped_or_404(organisations_for(request.user), pk=pk) if pk else None
    require_perm(request, perms.MANAGE_ORGANISATIONS)
    initial = {}
    if organisation:
        initial = {"name": organisation.name, "type": organisation.type, "areas": list(organisation.areas.all()), "is_active": organisation.is_active}
    form = OrganisationForm(posted(request), initial=initial or {"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            organisation_save(request=request, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organisations:list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    form = SwitchMembershipForm(request.POST)
    if form.is_valid():
        membership = get_scoped_or_404(memberships_of(request.user), pk=form.cleaned_data["membership"])
        request.session[SESSION_KEY] = membership.pk
        messages.success(request, _("You are now working as %(membership)s.") % {"membership": membership})
    return redirect("home")


def account_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html", {"memberships": memberships_of(request.user)})


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    user_end_sessions(user=request.user)
    audit_event(action=Action.SIGN_OUT, request=request, reason="signed out everywhere")
    logout(request)
    messages.success(request, _("You have been signed out on every device."))
    return redirect("account_login")
