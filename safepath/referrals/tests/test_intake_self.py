"""The public self-referral: no account, no JavaScript (the test client runs none), safe
contact first, nothing personal in any URL, a spam trap, a rate limit, and the chosen language."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType
from safepath.referrals.models import Referral
from safepath.testing import OrganisationFactory

START = "/referrals/get-help/"
CHECK = "/referrals/get-help/check/"
DONE = "/referrals/get-help/sent/"
LONDON = ZoneInfo("Europe/London")

ANSWERS: dict[str, dict[str, Any]] = {
    "contact": {
        "safe_ways": ["call", "text"],
        "safe_phone": "07700 900982",
        "safe_times": "Mornings",
        "safe_email": "",
        "safe_address": "",
    },
    "about-you": {
        "first_name": "Priya",
        "last_name": "Testcase",
        "date_of_birth_day": "3",
        "date_of_birth_month": "11",
        "date_of_birth_year": "1994",
        "age": "",
        "postcode": "me4 4ab",
    },
    "what-is-happening": {"abuse_types": ["coercive_control", "economic"], "details": "He takes my wages."},
    "children": {"has_children": "yes", "number": "2"},
    "danger": {"in_danger": "no"},
}
PERSONAL = ["Priya", "Testcase", "07700", "900982", "ME4", "me4", "1994", "wages", "Mornings"]


def step_url(slug: str) -> str:
    return reverse("referrals:self_step", args=[slug])


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def hub(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def no_minimum_time(settings: Any) -> None:
    settings.SAFEPATH_SELF_REFERRAL_MIN_SECONDS = 0


class Visitor:
    """The test client, remembering every URL it visited or was sent to."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.urls: list[str] = []

    def get(self, url: str, **kwargs: Any) -> Any:
        return self._record(url, self.client.get(url, **kwargs))

    def post(self, url: str, data: Any = None, **kwargs: Any) -> Any:
        return self._record(url, self.client.post(url, data or {}, **kwargs))

    def _record(self, url: str, response: Any) -> Any:
        self.urls.append(url)
        self.urls.extend(location for location, _status in getattr(response, "redirect_chain", []))
        if response.has_header("Location"):
            self.urls.append(response["Location"])
        return response

    def answer_everything(self, answers: dict[str, dict[str, Any]] = ANSWERS) -> Any:
        self.get(START)
        response = None
        for slug, data in answers.items():
            self.get(step_url(slug))
            response = self.post(step_url(slug), data)
        return response

    def send(self) -> Any:
        page = text(self.get(CHECK))
        key = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
        return self.post(CHECK, {"form_token": key, "website": ""}, follow=True)


@pytest.fixture
def visitor(client: Any, hub: Any) -> Visitor:
    return Visitor(client)


def test_it_takes_a_self_referral_from_start_to_reference_without_javascript(
    visitor: Visitor, no_minimum_time: None
) -> None:
    last = visitor.answer_everything()
    assert last["Location"] == CHECK
    check = text(visitor.get(CHECK))
    assert "Priya" in check and "A phone call, A text message" in check and "3 November 1994" in check
    response = visitor.send()
    referral = Referral.objects.get()
    page = text(response)
    assert response.redirect_chain[-1][0] == DONE
    assert referral.reference in page and "Note it somewhere safe" in page
    assert (referral.channel, referral.source, referral.consent, referral.person_aware) == ("self", "self", "yes", True)
    assert referral.abuse_types == ["coercive_control", "economic"] and referral.children_in_household == 2
    assert referral.reason == "He takes my wages." and referral.submitted["in_danger_now"] is False
    person = referral.person
    assert (person.first_name, person.last_name, person.postcode) == ("Priya", "Testcase", "ME4 4AB")
    contact = person.safe_contact
    assert (
        contact.phone_safe,
        contact.text_safe,
        contact.voicemail_safe,
        contact.email_safe,
        contact.letters_safe,
    ) == (
        True,
        True,
        False,
        False,
        False,
    )
    assert contact.refusal("email") and contact.refusal("phone") is None
    assert AuditEvent.objects.filter(
        action="create", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_it_asks_for_safe_contact_first(visitor: Visitor) -> None:
    start = text(visitor.get(START))
    assert f'href="{step_url("contact")}"' in start
    page = text(visitor.get(step_url("contact")))
    assert "Step 1 of 5" in page and "Which of these are safe for us to use?" in page


def test_it_puts_no_personal_data_in_any_url(visitor: Visitor, no_minimum_time: None) -> None:
    visitor.answer_everything()
    visitor.send()
    visitor.get(DONE)
    assert visitor.urls
    for url in visitor.urls:
        assert not any(word.lower() in url.lower() for word in PERSONAL), url


def test_it_forgets_the_answers_once_sent_and_keeps_the_session_to_this_browser_session(
    visitor: Visitor, client: Any, no_minimum_time: None
) -> None:
    visitor.answer_everything()
    cookie = client.cookies["safepath_session"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # ends when the browser closes
    assert "self_referral" in client.session
    visitor.send()
    session = client.session
    assert "self_referral" not in session
    assert set(session["self_referral_done"]) == {"reference", "key"}
    stored = str(dict(session.items()))
    assert not any(word in stored for word in PERSONAL)


def test_it_forgets_the_reference_when_asked(visitor: Visitor, client: Any, no_minimum_time: None) -> None:
    visitor.answer_everything()
    reference = text(visitor.send()).split('data-testid="reference">', 1)[1].split("<", 1)[0]
    response = visitor.post(DONE)
    assert response["Location"] == START
    assert reference not in text(visitor.get(DONE)) and "self_referral_done" not in client.session


def test_it_shows_call_999_prominently_when_the_person_is_in_danger(visitor: Visitor) -> None:
    visitor.answer_everything({**ANSWERS, "danger": {"in_danger": "yes"}})
    page = text(visitor.get(CHECK))
    assert 'data-testid="call-999"' in page.split("<h1", 1)[0]
    assert "If you are in danger now, call 999" in page


def test_it_creates_one_referral_when_sent_twice(visitor: Visitor, no_minimum_time: None) -> None:
    visitor.answer_everything()
    page = text(visitor.get(CHECK))
    key = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    first = visitor.post(CHECK, {"form_token": key})
    second = visitor.post(CHECK, {"form_token": key})
    assert first["Location"] == second["Location"] == DONE
    assert Referral.objects.count() == 1


def test_it_silently_drops_a_submission_that_fills_the_spam_trap(
    visitor: Visitor, client: Any, no_minimum_time: None
) -> None:
    visitor.answer_everything()
    page = text(visitor.get(CHECK))
    key = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    assert 'name="website"' in page and "govuk-!-display-none" in page
    response = visitor.post(CHECK, {"form_token": key, "website": "http://spam.example"}, follow=True)
    assert 'data-testid="reference">SP-' in text(response)  # looks like it worked
    assert not Referral.objects.exists()
    assert "self_referral" not in client.session


def test_it_refuses_a_submission_completed_impossibly_fast(visitor: Visitor) -> None:
    with time_machine.travel(datetime(2026, 5, 1, 10, 0, tzinfo=LONDON), tick=False) as clock:
        visitor.answer_everything()
        clock.shift(3)
        response = visitor.send()
        assert "Check your answers, then send them again." in text(response)
        assert not Referral.objects.exists()
        clock.shift(60)
        visitor.send()
    assert Referral.objects.count() == 1


def test_it_limits_each_address_to_5_submissions_an_hour(visitor: Visitor, no_minimum_time: None) -> None:
    for _ in range(5):
        visitor.answer_everything()
        assert visitor.send().status_code == 200
    visitor.answer_everything()
    page = text(visitor.get(CHECK))
    key = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    response = visitor.post(CHECK, {"form_token": key})
    assert response.status_code == 429
    assert "Too many attempts" in text(response) and "govuk-exit-this-page" in text(response)
    assert Referral.objects.count() == 5


def test_it_lets_the_address_send_again_after_an_hour(visitor: Visitor, no_minimum_time: None) -> None:
    with time_machine.travel(datetime(2026, 5, 1, 10, 0, tzinfo=LONDON), tick=False) as clock:
        for _ in range(6):
            visitor.answer_everything()
            visitor.send()
        assert Referral.objects.count() == 5
        clock.shift(3601)
        visitor.answer_everything()
        assert visitor.send().status_code == 200
    assert Referral.objects.count() == 6


def test_it_refuses_to_send_until_the_required_questions_are_answered(visitor: Visitor, no_minimum_time: None) -> None:
    visitor.get(START)
    visitor.post(step_url("contact"), ANSWERS["contact"])
    page = text(visitor.get(CHECK))
    assert "Not answered yet." in page
    response = visitor.send()
    assert "Answer the questions in ‘About you’ before you send this" in text(response)
    assert not Referral.objects.exists()


def test_it_treats_an_expired_form_as_expired(visitor: Visitor, no_minimum_time: None) -> None:
    visitor.answer_everything()
    response = visitor.post(CHECK, {"form_token": "not-the-key-" + "x" * 20})
    assert "This form has expired. Start again." in text(response)
    assert not Referral.objects.exists()


def test_it_shows_exit_this_page_on_every_page(visitor: Visitor, no_minimum_time: None) -> None:
    urls = [START, *[step_url(slug) for slug in ANSWERS], CHECK, DONE]
    for url in urls:
        assert "govuk-exit-this-page" in text(visitor.get(url)), url
    visitor.answer_everything()
    assert "govuk-exit-this-page" in text(visitor.send())


def test_it_returns_to_check_answers_after_a_change(visitor: Visitor) -> None:
    visitor.answer_everything()
    response = visitor.post(step_url("about-you"), ANSWERS["about-you"] | {"first_name": "Pri"})
    assert response["Location"] == CHECK
    assert "Pri" in text(visitor.get(CHECK))
    assert 'value="Pri"' in text(visitor.get(step_url("about-you")))


def test_it_keeps_what_was_typed_when_there_is_an_error(visitor: Visitor) -> None:
    response = visitor.post(step_url("about-you"), ANSWERS["about-you"] | {"postcode": "nowhere"})
    page = text(response)
    assert "Enter a real postcode, like SW1A 1AA" in page
    assert 'value="Priya"' in page and 'value="nowhere"' in page and 'value="1994"' in page


SELF_VALIDATION = [
    ("contact", {"safe_ways": []}, "Select the ways that are safe, or ‘None of these are safe’"),
    (
        "contact",
        {"safe_ways": ["none", "call"]},
        "Select ‘None of these are safe’, or the ways that are safe, not both",
    ),
    ("contact", {"safe_phone": ""}, "Enter a phone number that is safe to use"),
    ("contact", {"safe_phone": "ring me"}, "Enter a phone number, like 07700 900 982 or 01632 960 001"),
    ("contact", {"safe_ways": ["email"]}, "Enter an email address that is safe to use"),
    (
        "contact",
        {"safe_ways": ["email"], "safe_email": "nope"},
        "Enter an email address in the correct format, like name@example.com",
    ),
    ("contact", {"safe_ways": ["letter"]}, "Enter an address that is safe for letters"),
    ("about-you", {"first_name": ""}, "Enter your first name, or a name we can use"),
    ("about-you", {"date_of_birth_year": ""}, "Date of birth must include a year"),
    ("about-you", {"date_of_birth_day": "32"}, "Date of birth must be a real date"),
    (
        "about-you",
        {"age": "8", "date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
        "Age must be 13 or more",
    ),
    ("about-you", {"postcode": "123"}, "Enter a real postcode, like SW1A 1AA"),
    ("what-is-happening", {"details": "x" * 2001}, "Must be 2000 characters or fewer"),
    ("children", {"has_children": ""}, "Select whether any children live with you"),
    ("children", {"number": "0"}, "Enter a number from 1 upwards"),
    ("danger", {"in_danger": ""}, "Select yes if you are in danger right now"),
]


@pytest.mark.parametrize(("slug", "change", "message"), SELF_VALIDATION, ids=[m for _s, _c, m in SELF_VALIDATION])
def test_it_explains_each_problem_in_plain_words(
    visitor: Visitor, slug: str, change: dict[str, Any], message: str
) -> None:
    response = visitor.post(step_url(slug), ANSWERS[slug] | change)
    assert response.status_code == 200
    page = text(response)
    assert page.count(message) == 2  # in the summary and beside the field
    assert "<title>Error:" in page


def test_it_gives_404_for_an_unknown_step(visitor: Visitor) -> None:
    assert visitor.get(step_url("nonsense")).status_code == 404


def test_it_switches_language_and_says_so_in_the_html_lang(visitor: Visitor, client: Any) -> None:
    assert '<html lang="en-gb"' in text(visitor.get(START))
    response = visitor.get(START + "?lang=cy")
    assert response.status_code == 302 and response["Location"] == START
    cookie = client.cookies["django_language"]
    assert cookie.value == "cy" and cookie["expires"] == "" and cookie["max-age"] == ""
    page = text(visitor.get(START))
    assert '<html lang="cy"' in page and 'name="language" value="en-gb"' in page
    assert '<html lang="cy"' in text(visitor.get(step_url("contact")))
    visitor.get(START + "?lang=en-gb")
    assert '<html lang="en-gb"' in text(visitor.get(START))


def test_it_ignores_a_language_it_does_not_offer(visitor: Visitor, client: Any) -> None:
    response = visitor.get(START + "?lang=xx")
    assert response["Location"] == START and "django_language" not in client.cookies
