"""Welsh on the public self-referral (ADR 15): the compiled catalogue matches its source, every
public string is translated, the language switch works without JavaScript and only by POST
with a CSRF token, and the pages, their validation messages and the reference come in Welsh."""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from jinja2.ext import babel_extract

from safepath.core.management.commands.makemessages import JINJA_OPTIONS, KEYWORDS, jinja_messages_as_python
from safepath.core.roles import OrganisationType
from safepath.referrals import forms_intake
from safepath.referrals.models import Referral
from safepath.referrals.tests.test_intake_self import ANSWERS, CHECK, DONE, START, Visitor, step_url, text
from safepath.testing import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]  # the safepath package
LOCALE = ROOT / "locale" / "cy" / "LC_MESSAGES"
SET_LANGUAGE = reverse("set_language")

# Every template a public visitor of the self-referral can be shown, and the layout around it.
PUBLIC_TEMPLATES = [
    "core/jinja2/layouts/base.html",
    "core/jinja2/components/forms.html",
    "core/jinja2/components/messages.html",
    "core/jinja2/errors/404.html",
    "core/jinja2/errors/429.html",
    "core/jinja2/errors/500.html",
    "core/jinja2/errors/csrf.html",
    "referrals/jinja2/referrals/intake/_macros.html",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "referrals/jinja2/referrals/self").glob("*.html")),
]
# The Python the self-referral runs: the shared field helpers and the self-referral forms, and
# the self-referral views (the professional referral in the same files is for signed-in staff).
PUBLIC_PYTHON = {
    "referrals/forms_intake.py": {
        "YES_NO",
        "SAFE_WAYS",
        "PLAIN_ABUSE",
        "DateField",
        "clean_postcode",
        "clean_phone",
        "age_field",
        "count_field",
        "text",
        "form_token_field",
        "SelfContactForm",
        "SelfAboutForm",
        "SelfHappeningForm",
        "SelfChildrenForm",
        "SelfDangerForm",
        "SelfSubmitForm",
    },
    "referrals/views_intake.py": {
        "STEPS",
        "self_start",
        "self_step",
        "_rows",
        "self_check",
        "_self_submit",
        "self_done",
    },
}
SELF_FORMS = [
    forms_intake.SelfContactForm,
    forms_intake.SelfAboutForm,
    forms_intake.SelfHappeningForm,
    forms_intake.SelfChildrenForm,
    forms_intake.SelfDangerForm,
]


# --- the catalogue ---------------------------------------------------------------------


def parse_po(source: str) -> list[dict[str, Any]]:
    """A .po file's entries: msgctxt, msgid, msgid_plural, msgstr (index → text) and flags."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {"flags": set(), "msgstr": {}}
    key: Any = None

    def finish() -> None:
        nonlocal entry, key
        if "msgid" in entry:
            entries.append(entry)
        entry, key = {"flags": set(), "msgstr": {}}, None

    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            word, rest = line.split(" ", 1)
            value = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                key = int(word[7:-1]) if word.startswith("msgstr[") else 0
                entry["msgstr"][key] = value
            else:
                key = word
                entry[word] = value
    finish()
    return entries


def po_catalog(entries: list[dict[str, Any]]) -> dict[Any, str]:
    """What msgfmt would compile, keyed as gettext.GNUTranslations keys its catalogue."""
    catalog: dict[Any, str] = {}
    for e in entries:
        if "fuzzy" in e["flags"] or not e["msgid"] or not any(e["msgstr"].values()):
            continue
        msgid = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            catalog.update({(msgid, n): text for n, text in e["msgstr"].items()})
        else:
            catalog[msgid] = e["msgstr"][0]
    return catalog


@pytest.fixture(scope="module")
def po_entries() -> list[dict[str, Any]]:
    return parse_po((LOCALE / "django.po").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mo_catalog() -> dict[Any, str]:
    with open(LOCALE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    catalog = dict(translations._catalog)  # the only way to list what a .mo holds
    catalog.pop("", None)  # the header
    return catalog


def test_the_compiled_catalogue_matches_its_source(
    po_entries: list[dict[str, Any]], mo_catalog: dict[Any, str]
) -> None:
    """Fails when django.po was changed and django.mo not compiled again (or the other way round):
    the service reads only the .mo, and the machines it runs on have no msgfmt."""
    expected = po_catalog(po_entries)
    missing = sorted(str(k) for k in expected.keys() - mo_catalog.keys())
    stale = sorted(str(k) for k in expected.keys() & mo_catalog.keys() if expected[k] != mo_catalog[k])
    extra = sorted(str(k) for k in mo_catalog.keys() - expected.keys())
    assert not (missing or stale or extra), (
        "Compile the catalogue again: msgfmt --check -o safepath/locale/cy/LC_MESSAGES/django.mo "
        f"safepath/locale/cy/LC_MESSAGES/django.po\nmissing: {missing[:5]}\nchanged: {stale[:5]}\nextra: {extra[:5]}"
    )


def test_the_catalogue_has_no_fuzzy_entries_and_a_welsh_header(po_entries: list[dict[str, Any]]) -> None:
    assert not [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]], "fuzzy translations are never used"
    header = next(e for e in po_entries if e["msgid"] == "")["msgstr"][0]
    assert "Language: cy\n" in header and "nplurals=4;" in header and "charset=UTF-8" in header


def test_every_translation_keeps_the_placeholders(po_entries: list[dict[str, Any]]) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    wrong = [
        e["msgid"]
        for e in po_entries
        for translated in e["msgstr"].values()
        if e["msgid"]
        and translated
        and sorted(placeholder.findall(translated)) != sorted(placeholder.findall(e["msgid"]))
        and "msgid_plural" not in e
    ]
    assert not wrong


def public_template_messages() -> list[str]:
    found = []
    for name in PUBLIC_TEMPLATES:
        source = io.BytesIO((ROOT / name).read_bytes())
        for _line, function, message, _comments in babel_extract(source, KEYWORDS, [], JINJA_OPTIONS):
            strings = message if isinstance(message, tuple) else (message,)
            found += [s for s in (strings[:2] if function == "ngettext" else strings[:1]) if isinstance(s, str)]
    return found


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    return set()


def public_python_messages() -> list[str]:
    found = []
    for name, wanted in PUBLIC_PYTHON.items():
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        parts = [node for node in tree.body if _names(node) & wanted]
        assert {n for node in parts for n in _names(node)} >= wanted, f"{name} no longer has all of {sorted(wanted)}"
        for call in (c for node in parts for c in ast.walk(node) if isinstance(c, ast.Call)):
            if isinstance(call.func, ast.Name) and call.func.id in {"_", "gettext", "gettext_lazy"} and call.args:
                if isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
                    found.append(call.args[0].value)
    return found


def test_every_public_string_is_translated(mo_catalog: dict[Any, str]) -> None:
    messages = public_template_messages() + public_python_messages()
    assert len(set(messages)) > 140  # the extraction found the pages' strings
    assert "Exit this page" in messages and "Contacting you safely" in messages
    untranslated = sorted({m for m in messages if not mo_catalog.get(m)})
    assert not untranslated, f"translate these in safepath/locale/cy/LC_MESSAGES/django.po: {untranslated}"


def _form_strings(form_class: type) -> list[tuple[str, Any]]:
    form = form_class()
    strings = []
    for name, field in form.fields.items():
        strings += [(f"{name}.label", field.label), (f"{name}.help_text", field.help_text)]
        strings += [(f"{name}.error.{code}", message) for code, message in field.error_messages.items()]
        strings += [(f"{name}.choice.{value}", label) for value, label in getattr(field, "choices", [])]
    return [(where, s) for where, s in strings if s]


# Django's own messages for codes our fields never raise (or raise in our words) need not be Welsh here.
DJANGO_OWN = {"incomplete", "invalid_list", "invalid_choice", "required", "invalid", "max_value", "min_value"}


@pytest.mark.parametrize("form_class", SELF_FORMS, ids=[f.__name__ for f in SELF_FORMS])
def test_each_self_referral_form_reads_in_welsh(form_class: type) -> None:
    with translation.override("en-gb"):
        english = {where: str(s) for where, s in _form_strings(form_class)}
    with translation.override("cy"):
        welsh = {where: str(s) for where, s in _form_strings(form_class)}
    same = [
        where
        for where, value in english.items()
        if welsh[where] == value and not (".error." in where and where.rsplit(".", 1)[1] in DJANGO_OWN)
    ]
    assert not same, f"still English in Welsh: {same}"


# --- extraction ------------------------------------------------------------------------


def test_extraction_finds_calls_inside_macros_keywords_and_plurals() -> None:
    source = (
        "{{ govukPanel({\n"
        '  "titleText": _("Request sent"),\n'
        '  "html": _("Step %(number)s of %(total)s", number=1, total=5)}) }}\n'
        "<p>It's plain text with an apostrophe</p>\n"
        '{{ ngettext("%(num)s item", "%(num)s items", count) }} {{ _(variable) }}\n'
    )
    lines = jinja_messages_as_python(source).splitlines()
    assert lines[1] == "gettext('Request sent')"
    assert lines[2] == "gettext('Step %(number)s of %(total)s')"
    assert lines[3] == ""
    assert lines[4] == "ngettext('%(num)s item', '%(num)s items', 1)"


# --- the language switch -----------------------------------------------------------------


@pytest.fixture
def hub(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def visitor(client: Client, hub: Any) -> Visitor:
    return Visitor(client)


@pytest.fixture
def welsh(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def test_the_switch_is_a_post_form_with_a_csrf_token_on_every_public_page(visitor: Visitor) -> None:
    for url in (START, step_url("contact"), CHECK):
        page = text(visitor.get(url))
        switch = page.split('data-testid="language-switch"', 1)[1].split("</nav>", 1)[0]
        assert f'action="{SET_LANGUAGE}"' in switch and 'method="post"' in switch
        assert 'name="csrfmiddlewaretoken"' in switch and f'name="next" value="{url}"' in switch
        assert 'name="language" value="cy" lang="cy"' in switch and "Cymraeg" in switch
        assert '<span class="govuk-body-s govuk-!-font-weight-bold" lang="en-gb" aria-current="true">English' in switch


def test_choosing_welsh_sets_a_browser_session_cookie_and_returns_to_the_page(visitor: Visitor, client: Client) -> None:
    visitor.get(step_url("contact"))
    response = visitor.post(SET_LANGUAGE, {"language": "cy", "next": step_url("contact")})
    assert response.status_code == 302 and response["Location"] == step_url("contact")
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy" and cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = text(visitor.get(step_url("contact")))
    assert '<html lang="cy"' in page and "Cysylltu â chi’n ddiogel" in page
    assert 'name="language" value="en-gb" lang="en-gb"' in page  # and back to English
    visitor.post(SET_LANGUAGE, {"language": "en-gb", "next": START})
    assert '<html lang="en-gb"' in text(visitor.get(START))


def test_the_switch_refuses_a_post_without_the_csrf_token(db: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SET_LANGUAGE, {"language": "cy", "next": START})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in strict.cookies


def test_the_switch_changes_nothing_by_get_and_goes_only_to_this_site(client: Client, db: Any) -> None:
    client.get(SET_LANGUAGE + "?language=cy&next=/referrals/get-help/")
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    response = client.post(SET_LANGUAGE, {"language": "cy", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"
    response = client.post(SET_LANGUAGE, {"language": "xx", "next": START})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"  # unchanged by a language not offered


# --- the pages in Welsh --------------------------------------------------------------------


def test_the_start_page_is_in_welsh(welsh: Client, hub: Any) -> None:
    page = text(welsh.get(START))
    assert '<html lang="cy"' in page
    for words in [
        "Gofyn am gymorth gyda cham-drin domestig",
        "Os ydych chi mewn perygl nawr, ffoniwch 999",
        "Gadael y dudalen hon",
        "Neidio i’r prif gynnwys",
        "Dechrau nawr",
        "Geirfa termau",
        'data-i18n.press-two-more-times="Shift, pwyswch 2 waith eto i adael."',
    ]:
        assert words in page, words
    assert "Ask for support" not in page and "Exit this page" not in page


def test_a_validation_error_is_in_welsh(welsh: Client, hub: Any) -> None:
    response = welsh.post(step_url("contact"), {"safe_ways": ["call"], "safe_phone": "", "safe_times": ""})
    page = text(response)
    assert response.status_code == 200 and '<html lang="cy"' in page
    assert "<title>Gwall: Cysylltu â chi’n ddiogel" in page
    assert "Mae problem wedi codi" in page
    assert page.count("Rhowch rif ffôn sy’n ddiogel i’w ddefnyddio") == 2  # summary and beside the field
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in page
    assert "Cam 1 o 5" in page


def test_a_date_error_names_the_field_in_welsh(welsh: Client, hub: Any) -> None:
    data = ANSWERS["about-you"] | {"date_of_birth_day": "31", "date_of_birth_month": "2"}
    page = text(welsh.post(step_url("about-you"), data))
    assert page.count("Dyddiad geni – rhaid iddo fod yn ddyddiad go iawn") == 2
    assert 'value="Priya"' in page  # what was typed is kept


def test_the_whole_journey_in_welsh_ends_with_the_reference(welsh: Client, hub: Any, settings: Any) -> None:
    settings.SAFEPATH_SELF_REFERRAL_MIN_SECONDS = 0
    visitor = Visitor(welsh)
    visitor.answer_everything()
    check = text(visitor.get(CHECK))
    assert "Gwirio eich atebion" in check and "Galwad ffôn, Neges destun" in check
    assert "3 Tachwedd 1994" in check  # dates in Welsh too
    response = visitor.send()
    page = text(response)
    referral = Referral.objects.get()
    assert response.redirect_chain[-1][0] == DONE
    assert '<html lang="cy"' in page and "Cais wedi’i anfon" in page and "Eich cyfeirnod" in page
    assert f'data-testid="reference">{referral.reference}<' in page
    assert "Ni fyddwn yn anfon y cyfeirnod hwn atoch" in page
    # What the person wrote is stored as typed, whatever the language of the page.
    assert referral.abuse_types == ["coercive_control", "economic"] and referral.reason == "He takes my wages."


def test_the_switch_is_only_on_the_pages_translated_in_full(client: Client, db: Any) -> None:
    # The sign-in page is public too, but in English only: no switch into a page half in Welsh.
    page = text(client.get("/account/login/"))
    assert "Exit this page" in page and 'data-testid="language-switch"' not in page
