"""Referral intake pages.

- A referring professional makes a referral (one page, children as a formset, the risk
  checklist) and follows their own referrals only.
- Anyone can refer themself without an account: short steps, safe contact first, "Exit
  this page" everywhere, answers kept in the session (never in a URL) until sent, then
  cleared. Nothing is ever sent to the person: the reference is shown on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted
from safepath.referrals import rules as perms
from safepath.referrals.choices import AbuseType, Consent
from safepath.referrals.forms_intake import (
    ChildFormSet,
    ProfessionalReferralForm,
    SelfAboutForm,
    SelfChildrenForm,
    SelfContactForm,
    SelfDangerForm,
    SelfHappeningForm,
    SelfSubmitForm,
    children_from,
)
from safepath.referrals.intake import (
    new_form_key,
    professional_referral_submit,
    self_referral_rate_limited,
    self_referral_submit,
    self_referral_too_fast,
)
from safepath.referrals.models import Referral
from safepath.referrals.selectors_intake import (
    complex_needs_choices,
    last_source_for,
    own_referral_list,
    referrals_made_by,
    status_history,
)
from safepath.referrals.services import new_reference
from safepath.risk.rules import Criterion
from safepath.risk.selectors import current_instrument

# --- Professional referral -------------------------------------------------------------


def referral_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.MAKE_REFERRAL)
    instrument = current_instrument()
    form = ProfessionalReferralForm(
        posted(request),
        indicators=instrument.indicators.all() if instrument else (),
        complex_needs=complex_needs_choices(),
        initial={"form_token": new_form_key(), "source": last_source_for(request.user)},
    )
    children = ChildFormSet(posted(request), prefix="children")
    if request.method == "POST" and all([form.is_valid(), children.is_valid()]):
        try:
            referral = professional_referral_submit(
                request=request, cleaned=form.cleaned_data, children=children_from(children), instrument=instrument
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("referrals:new_done", pk=referral.pk)
    has_errors = request.method == "POST" and (bool(form.errors) or children.total_error_count() > 0)
    return render(request, "referrals/intake/new.html", {"form": form, "children": children, "has_errors": has_errors})


def referral_sent(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.MAKE_REFERRAL)
    referral = get_scoped_or_404(referrals_made_by(request.user), pk=pk)
    audit_event(action=Action.VIEW, request=request, obj=referral)
    return render(
        request, "referrals/intake/sent.html", {"referral": referral, "marac_reasons": marac_reasons(referral)}
    )


def marac_reasons(referral: Referral) -> list[str]:
    """The MARAC criteria met that follow from what the referrer told us.

    A criterion found in the hub's own records (an earlier MARAC referral, police
    referrals the referrer did not mention) is not disclosed to the referrer.
    """
    met = set(referral.marac_criteria)
    reasons = []
    if Criterion.VISIBLE_HIGH_RISK in met:
        reasons.append(
            _("Visible high risk: %(score)s ‘yes’ answers on the risk checklist") % {"score": referral.dash_score}
        )
    if Criterion.PROFESSIONAL_JUDGEMENT in met:
        reasons.append(_("Professional judgement: you judged the risk to be high"))
    callouts = referral.police_callouts_12m
    if Criterion.POTENTIAL_ESCALATION in met and callouts is not None and callouts >= referral.police_incidents:
        reasons.append(
            _("Potential escalation: %(count)s incidents reported to the police in the last 12 months")
            % {"count": callouts}
        )
    return reasons


def mine(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.VIEW_OWN_REFERRALS)
    page = Paginator(own_referral_list(request.user), 50).get_page(request.GET.get("page"))
    audit_many(action=Action.VIEW, request=request, objects=list(page.object_list))
    return render(request, "referrals/intake/mine.html", {"page": page})


def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_OWN_REFERRALS)
    referral = get_scoped_or_404(referrals_made_by(request.user), pk=pk)
    audit_event(action=Action.VIEW, request=request, obj=referral)
    context = {"referral": referral, "history": status_history(referral), "rows": submitted_rows(referral.submitted)}
    return render(request, "referrals/intake/mine_detail.html", context)


def submitted_rows(submitted: dict[str, Any]) -> list[tuple[str, str]]:
    """What the referrer sent, as they sent it (never the record it was later matched to)."""
    name = f"{submitted.get('first_name', '')} {submitted.get('last_name', '')}".strip()
    born = _date_text(submitted.get("date_of_birth")) or (
        str(submitted["age"]) if submitted.get("age") is not None else ""
    )
    answers = [v for k, v in submitted.items() if k.startswith("dash_")]
    abuse = ", ".join(
        str(AbuseType(code).label) for code in submitted.get("abuse_types", []) if code in AbuseType.values
    )
    rows = [
        (_("Name"), name),
        (_("Date of birth or age"), born),
        (_("Types of abuse"), abuse),
        (_("Consent"), str(Consent(submitted["consent"]).label) if submitted.get("consent") in Consent.values else ""),
        (_("Reason for referral"), submitted.get("reason", "")),
    ]
    if answers:
        rows.append((_("‘Yes’ answers on the risk checklist"), str(sum(1 for a in answers if a == "yes"))))
    return rows


def _date_text(value: str | None) -> str:
    if not value:
        return ""
    try:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    except ValueError:
        return ""


# --- Self-referral -----------------------------------------------------------------------

SESSION_KEY = "self_referral"
DONE_KEY = "self_referral_done"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.Form]
    title: Any


STEPS = [
    Step("contact", SelfContactForm, gettext_lazy("Contacting you safely")),
    Step("about-you", SelfAboutForm, gettext_lazy("About you")),
    Step("what-is-happening", SelfHappeningForm, gettext_lazy("What is happening")),
    Step("children", SelfChildrenForm, gettext_lazy("Children")),
    Step("danger", SelfDangerForm, gettext_lazy("Your safety now")),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def _state(request: HttpRequest, *, create: bool = False) -> dict[str, Any] | None:
    """The self-referral in progress: its one-time key, when it began, and each step's answers.

    The session cookie ends when the browser closes, and the session ends after the idle
    timeout; the answers are removed as soon as the referral is sent.
    """
    state = request.session.get(SESSION_KEY)
    if state is None and create:
        state = {"key": new_form_key(), "started": _now(), "steps": {}}
        request.session[SESSION_KEY] = state
        request.session.set_expiry(0)
    return state


def _now() -> float:
    return timezone.now().timestamp()


def _public(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"public_page": True, "language_switch": True, **context}, status=status)


def _raw_answers(data: Any, form: forms.Form) -> dict[str, list[str]]:
    """The posted values for the form's own fields (date parts included), as typed."""
    names = tuple(form.fields)
    return {k: data.getlist(k) for k in data if k in names or k.startswith(tuple(f"{n}_" for n in names))}


def _bound(step: Step, state: dict[str, Any] | None) -> forms.Form | None:
    stored = (state or {}).get("steps", {}).get(step.slug)
    return None if stored is None else step.form(MultiValueDict(stored))


def _next_url(state: dict[str, Any], step: Step) -> str:
    done = state["steps"]
    after = STEPS[STEPS.index(step) + 1 :]
    missing = [s for s in after if s.slug not in done] or [s for s in STEPS if s.slug not in done]
    if missing:
        return reverse("referrals:self_step", args=[missing[0].slug])
    return reverse("referrals:self_check")


@login_not_required
@require_http_methods(["GET"])
def self_start(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("lang")
    if language is not None:
        response = redirect("referrals:self_start")
        if language in dict(settings.LANGUAGES):
            # A browser-session cookie holding only the language code (Django's own cookie).
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
            )
        return response
    languages = [(code, name) for code, name in settings.LANGUAGES]
    return _public(request, "referrals/self/start.html", {"languages": languages, "first_step": STEPS[0].slug})


@login_not_required
@require_http_methods(["GET", "POST"])
def self_step(request: HttpRequest, step: str) -> HttpResponse:
    current = STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404
    state = _state(request, create=True)
    assert state is not None
    if request.method == "POST":
        form = current.form(request.POST)
        if form.is_valid():
            state["steps"][current.slug] = _raw_answers(request.POST, form)
            request.session.modified = True
            return redirect(_next_url(state, current))
    else:
        form = _bound(current, state) or current.form()
    index = STEPS.index(current)
    back = ("referrals:self_step", [STEPS[index - 1].slug]) if index else ("referrals:self_start", [])
    context = {"form": form, "step": current, "number": index + 1, "total": len(STEPS), "back": back}
    return _public(request, "referrals/self/step.html", context)


def _answers(state: dict[str, Any] | None) -> tuple[dict[str, Any], list[dict[str, Any]], list[Step]]:
    """Every answer so far (validated again), the rows to show, and the steps not yet answered."""
    answers: dict[str, Any] = {}
    sections = []
    missing = []
    for step in STEPS:
        form = _bound(step, state)
        if form is None or not form.is_valid():
            missing.append(step)
            sections.append({"step": step, "rows": [], "answered": False})
            continue
        answers.update(form.cleaned_data)
        sections.append({"step": step, "rows": _rows(form), "answered": True})
    return answers, sections, missing


def _rows(form: forms.Form) -> list[tuple[str, str]]:
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(v, v)) for v in value)
        elif isinstance(value, date):
            shown = formats.date_format(value, "j F Y")
        elif choices and value is not None:
            shown = str(choices.get(value, value))
        else:
            shown = "" if value in (None, "") else str(value)
        rows.append((str(field.label), shown or _("Not given")))
    return rows


@login_not_required
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    answers, sections, missing = _answers(state)
    form = SelfSubmitForm(posted(request), initial={"form_token": state["key"] if state else new_form_key()})
    if request.method == "POST":
        outcome = _self_submit(request, state, form, answers, missing)
        if outcome is not None:
            return outcome
    context = {"form": form, "sections": sections, "missing": missing, "in_danger": answers.get("in_danger") == "yes"}
    return _public(request, "referrals/self/check.html", context)


def _self_submit(
    request: HttpRequest,
    state: dict[str, Any] | None,
    form: SelfSubmitForm,
    answers: dict[str, Any],
    missing: list[Step],
) -> HttpResponse | None:
    """Send the self-referral, or say why not (None: show the check page again)."""
    if self_referral_rate_limited(request):
        return _public(request, "errors/429.html", {}, status=429)
    if request.POST.get("website"):
        # The spam trap was filled in: look as if it worked, keep nothing.
        return _finish(request, reference=new_reference(), key="")
    posted_key = request.POST.get("form_token", "")
    done = request.session.get(DONE_KEY) or {}
    if state is None or posted_key != state["key"]:
        if done.get("key") and done["key"] == posted_key:
            return redirect("referrals:self_done")  # sent already (a double click)
        form.add_error(None, _("This form has expired. Start again."))
        return None
    if missing:
        form.add_error(
            None, _("Answer the questions in ‘%(section)s’ before you send this") % {"section": missing[0].title}
        )
    elif self_referral_too_fast(state.get("started")):
        form.add_error(None, _("Check your answers, then send them again."))
    elif form.is_valid():
        referral = self_referral_submit(request=request, answers=answers, key=state["key"])
        return _finish(request, reference=referral.reference, key=state["key"])
    return None


def _finish(request: HttpRequest, *, reference: str, key: str) -> HttpResponse:
    """Forget the answers; remember only the reference, to show it (until the browser closes)."""
    request.session.pop(SESSION_KEY, None)
    request.session[DONE_KEY] = {"reference": reference, "key": key}
    request.session.set_expiry(0)
    return redirect("referrals:self_done")


@login_not_required
@require_http_methods(["GET", "POST"])
def self_done(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # "I have noted it": forget the reference too
        request.session.pop(DONE_KEY, None)
        return redirect("referrals:self_start")
    done = request.session.get(DONE_KEY) or {}
    return _public(request, "referrals/self/done.html", {"reference": done.get("reference")})
