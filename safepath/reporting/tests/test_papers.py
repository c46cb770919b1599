"""Quarterly papers: subscriptions, the task worker's build (frozen clock), the notice email and
the subscriber-only, audited download."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.reporting import papers
from safepath.reporting.models import PaperSubscription, QuarterlyPaper
from safepath.reporting.periods import LOCAL, Period
from safepath.reporting.tasks import build_quarterly_papers
from safepath.reporting.tests import factories as f
from safepath.testing import assert_constant_queries, make_member

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))
Q2 = Period(date(2025, 4, 1), date(2025, 6, 30))
PAPERS = reverse("reporting:papers")


def _on(day: date):
    """The clock at 06:00 on `day`, London time (when a worker's daily run might happen)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 6, tzinfo=LOCAL), tick=False)


@pytest.fixture
def county(db):
    county = f.area(name="Kentshire")
    town = f.area(parent=county, name="Hoo Peninsula")
    hub = f.hub()
    for i in range(14):
        f.referral(hub=hub, person=f.person(), received=f.at(date(2025, 4, 3) + f.days(i)), area=town)
    return county, town


@pytest.fixture
def commissioner(county):
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(county[0])
    return make_member(Role.COMMISSIONER, org)


def _subscribe(user, area=None, fmt="docx") -> PaperSubscription:
    subscription, _ = papers.subscribe(user=user, membership=user.memberships.get(), area=area, fmt=fmt)
    return subscription


# --- the worker ------------------------------------------------------------------------------


def test_the_last_closed_quarter_waits_a_week_for_late_records(settings):
    settings.SAFEPATH_QUARTERLY_PAPER_DELAY_DAYS = 7
    assert papers.last_closed_quarter(date(2025, 7, 7)) == Q1
    assert papers.last_closed_quarter(date(2025, 7, 8)) == Q2
    settings.SAFEPATH_QUARTERLY_PAPER_DELAY_DAYS = 0
    assert papers.last_closed_quarter(date(2025, 7, 1)) == Q2


def test_the_worker_builds_each_paper_once_and_emails_a_notice_without_figures(commissioner, county, settings):
    settings.BASE_URL = "https://safepath.example.gov.uk"
    docx = _subscribe(commissioner, county[1], "docx")
    html = _subscribe(commissioner, None, "html")
    with _on(date(2025, 7, 10)):
        assert build_quarterly_papers.call() == 2
    built = {p.subscription_id: p for p in QuarterlyPaper.objects.all()}
    assert set(built) == {docx.pk, html.pk}
    assert all((p.period_first, p.period_last) == (Q2.first, Q2.last) and not p.error for p in built.values())
    assert bytes(built[docx.pk].content)[:2] == b"PK"
    page = bytes(built[html.pk].content).decode()
    assert "1 April 2025" in page and re.search(r"Referrals</th>\s*<td[^>]*>14</td>", page)
    assert "Zephyrine" not in page  # aggregate only
    assert len(mail.outbox) == 2
    notice = mail.outbox[0]
    assert notice.to == [commissioner.email]
    assert notice.subject == "Your quarterly performance paper is ready"
    assert "1 April 2025 to 30 June 2025" in notice.body and f"https://safepath.example.gov.uk{PAPERS}" in notice.body
    assert "14" not in notice.body and "Referrals" not in notice.body and "Kentshire" not in notice.body
    assert AuditEvent.objects.filter(object_type="reporting.quarterlypaper", action="create").count() == 2

    # Idempotent: the next day's run, and a second worker racing it, build nothing again.
    with _on(date(2025, 7, 11)):
        assert papers.papers_build() == 0
    assert QuarterlyPaper.objects.count() == 2 and len(mail.outbox) == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyPaper.objects.create(subscription=docx, period_first=Q2.first, period_last=Q2.last, content=b"x")

    # The next quarter, once closed, is a new paper.
    with _on(date(2025, 10, 8)):
        assert papers.papers_build() == 2
    assert QuarterlyPaper.objects.count() == 4


def test_a_stopped_subscription_gets_no_paper(commissioner, county):
    subscription = _subscribe(commissioner, county[1])
    papers.unsubscribe(subscription=subscription, user_id=commissioner.pk)
    with _on(date(2025, 7, 10)):
        assert papers.papers_build() == 0
    assert not QuarterlyPaper.objects.exists() and not mail.outbox


@pytest.mark.parametrize("lose", ["membership", "area", "role"])
def test_it_checks_again_that_the_subscriber_may_still_report_on_the_area(commissioner, county, lose):
    subscription = _subscribe(commissioner, county[1])
    membership = commissioner.memberships.get()
    if lose == "membership":
        membership.is_active = False
        membership.save()
    elif lose == "area":
        membership.organisation.areas.clear()
    else:
        membership.organisation.type = OrganisationType.PROVIDER  # no longer acting as a commissioner
        membership.organisation.save()
    with _on(date(2025, 7, 10)):
        assert papers.papers_build() == 0
    paper = QuarterlyPaper.objects.get(subscription=subscription)
    assert paper.error == papers.NO_LONGER_ALLOWED and bytes(paper.content) == b""
    assert [m.subject for m in mail.outbox] == ["Your quarterly performance paper could not be produced"]
    with _on(date(2025, 7, 11)):  # tried again each day, but the subscriber is told once
        papers.papers_build()
    assert len(mail.outbox) == 1


def test_a_failed_build_is_recorded_and_tried_again(commissioner, county, monkeypatch):
    subscription = _subscribe(commissioner, county[1])
    real = papers.build_paper

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(papers, "build_paper", broken)
    with _on(date(2025, 7, 10)):
        assert papers.papers_build() == 0
    paper = QuarterlyPaper.objects.get(subscription=subscription)
    assert paper.error == papers.FAILED and "disk full" not in paper.error
    monkeypatch.setattr(papers, "build_paper", real)
    with _on(date(2025, 7, 11)):
        assert papers.papers_build() == 1
    paper.refresh_from_db()
    assert not paper.error and bytes(paper.content)[:2] == b"PK"
    assert [m.subject for m in mail.outbox] == [
        "Your quarterly performance paper could not be produced",
        "Your quarterly performance paper is ready",
    ]


def test_the_job_is_scheduled(settings):
    assert "safepath.reporting.tasks.build_quarterly_papers" in settings.SAFEPATH_PERIODIC_JOBS


# --- the pages -------------------------------------------------------------------------------


def test_the_dashboard_links_to_the_papers(login, commissioner):
    page = login(commissioner).get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{PAPERS}"' in page


def test_subscribing_twice_creates_one_subscription(login, commissioner, county):
    client = login(commissioner)
    data = {"area": str(county[1].pk), "format": "docx"}
    assert client.post(PAPERS, data).status_code == 302
    response = client.post(PAPERS, data, follow=True)
    assert "You already receive this paper." in response.content.decode()
    subscription = PaperSubscription.objects.get()
    assert (subscription.user, subscription.area, subscription.format) == (commissioner, county[1], "docx")
    assert subscription.membership == commissioner.memberships.get()
    assert AuditEvent.objects.filter(object_type="reporting.papersubscription", action="create").count() == 1


def test_stopping_and_subscribing_again_resumes_the_same_subscription(login, commissioner, county):
    client = login(commissioner)
    client.post(PAPERS, {"area": "", "format": "html"})
    subscription = PaperSubscription.objects.get()
    assert client.post(reverse("reporting:paper_unsubscribe", args=[subscription.pk])).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert "Stopped" in client.get(PAPERS).content.decode()
    client.post(PAPERS, {"area": "", "format": "html"})
    subscription.refresh_from_db()
    assert subscription.is_active and PaperSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"area": "", "format": ""}, "Choose a format"),
        ({"area": "", "format": "pdf"}, "Choose a format from the list"),
        ({"area": "outside", "format": "docx"}, "Choose an area your organisation serves from the list."),
    ],
)
def test_it_explains_bad_input_and_saves_nothing(login, commissioner, county, data, message):
    if data["area"] == "outside":
        data = data | {"area": str(f.area(name="Faraway").pk)}
    response = login(commissioner).post(PAPERS, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert not PaperSubscription.objects.exists()


def test_only_the_subscriber_sees_and_downloads_a_paper(login, commissioner, county):
    subscription = _subscribe(commissioner, county[1])
    with _on(date(2025, 7, 10)):
        papers.papers_build()
    paper = QuarterlyPaper.objects.get()
    url = reverse("reporting:paper_download", args=[paper.pk])

    client = login(commissioner)
    page = client.get(PAPERS).content.decode()
    assert url in page and "1 April 2025 to 30 June 2025" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="performance-2025-04-01-2025-06-30.docx"'
    assert response.content == bytes(paper.content)
    event = AuditEvent.objects.get(action="export", object_type="reporting.quarterlypaper")
    assert (event.user_id, event.object_id) == (commissioner.pk, str(paper.pk))

    # A colleague in the same organisation is not the subscriber.
    colleague = make_member(Role.COMMISSIONER, commissioner.memberships.get().organisation)
    other = login(colleague)
    assert other.get(url).status_code == 404
    assert url not in other.get(PAPERS).content.decode()
    assert other.post(reverse("reporting:paper_unsubscribe", args=[subscription.pk])).status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active


def test_a_paper_is_not_downloadable_once_the_area_is_no_longer_served(login, commissioner, county):
    _subscribe(commissioner, county[1])
    with _on(date(2025, 7, 10)):
        papers.papers_build()
    paper = QuarterlyPaper.objects.get()
    commissioner.memberships.get().organisation.areas.clear()
    assert login(commissioner).get(reverse("reporting:paper_download", args=[paper.pk])).status_code == 404


def test_the_page_keeps_its_query_count_as_papers_grow(login, commissioner, county):
    client = login(commissioner)
    subscription = _subscribe(commissioner, county[1])
    _subscribe(commissioner, None, "html")
    quarters = [(year, month) for year in range(2010, 2025) for month in (1, 4, 7, 10)]

    def grow(n: int) -> None:
        for year, month in quarters[grow.done : grow.done + n]:
            QuarterlyPaper.objects.create(
                subscription=subscription,
                period_first=date(year, month, 1),
                period_last=date(year, month, 28),
                content=b"PK",
            )
        grow.done += n

    grow.done = 0
    assert_constant_queries(client, PAPERS, grow)
    assert client.get(PAPERS).content.decode().count("Download<span") == 55
