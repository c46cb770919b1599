import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import PersonMerge
from safepath.people.tests.url_table_people import refer, route
from safepath.referrals.models import Referral
from safepath.risk.models import RiskAssessment
from safepath.risk.selectors import current_instrument
from safepath.risk.services import assessment_record
from safepath.testing import OrganisationFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def kept(hub):
    return refer(hub, "Morwenna", "Tregarthen", date(1988, 5, 17), "ME4 4AB").person


@pytest.fixture
def twin(hub):
    """The same person, referred again with a misspelt first name."""
    person = refer(hub, "Morwena", "Tregarthen", date(1988, 5, 17), "ME4 4AB").person
    assessment_record(
        request=None,
        person=person,
        instrument=current_instrument(),
        answers={},
        assessed_at=datetime(2026, 3, 12, tzinfo=LONDON),
    )
    return person


@pytest.fixture
def worker(hub, member, login):
    return login(member(Role.TRIAGE_WORKER, hub))


def text(response):
    return html.unescape(response.content.decode())


def merge(client, kept, other, reason="Same date of birth and address"):
    return client.post(f"/people/{kept.pk}/merge/{other.pk}/", {"reason": reason})


def test_it_offers_ranked_candidates_with_scores_and_reasons(worker, kept, twin):
    page = text(worker.get(f"/people/{kept.pk}/merge/"))
    candidates = page[page.index('data-testid="candidates"') :]
    assert "Morwena Tregarthen" in candidates and "same date of birth" in candidates and "same postcode" in candidates
    assert f"/people/{kept.pk}/merge/{twin.pk}/" in candidates
    assert AuditEvent.objects.filter(action="view", object_id=str(twin.pk), reason="merge candidate").exists()


def test_it_offers_no_candidate_the_user_cannot_see(worker, kept):
    outsider = refer(
        OrganisationFactory(type=OrganisationType.HUB), "Morwena", "Tregarthen", date(1988, 5, 17), "ME4 4AB"
    ).person
    page = text(worker.get(f"/people/{kept.pk}/merge/"))
    assert "No likely matches among the records you can see." in page
    assert f"/merge/{outsider.pk}/" not in page
    response = worker.get(f"/people/{kept.pk}/merge/", {"record": outsider.pk})
    assert "There is no record with that number that you can see." in text(response)
    assert worker.get(f"/people/{kept.pk}/merge/{outsider.pk}/").status_code == 404
    assert merge(worker, kept, outsider).status_code == 404
    assert not PersonMerge.objects.exists()


def test_it_finds_a_record_by_number(worker, kept, twin):
    response = worker.get(f"/people/{kept.pk}/merge/", {"record": twin.pk})
    assert response.status_code == 302 and response["Location"] == f"/people/{kept.pk}/merge/{twin.pk}/"
    assert "That is this record." in text(worker.get(f"/people/{kept.pk}/merge/", {"record": kept.pk}))


def test_it_needs_a_reason_to_merge(worker, kept, twin):
    response = merge(worker, kept, twin, reason="")
    assert response.status_code == 200 and 'href="#id_reason"' in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_it_merges_and_undoes_a_merge(worker, kept, twin):
    confirm = text(worker.get(f"/people/{kept.pk}/merge/{twin.pk}/"))
    assert f"Merge record {twin.pk} into record {kept.pk}?" in confirm
    response = merge(worker, kept, twin)
    assert response.status_code == 302 and response["Location"] == f"/people/{kept.pk}/"
    twin.refresh_from_db()
    assert twin.merged_into == kept
    assert Referral.objects.filter(person=kept).count() == 2 and not Referral.objects.filter(person=twin).exists()
    assert RiskAssessment.objects.get().person == kept
    record = PersonMerge.objects.get()
    assert record.reason == "Same date of birth and address"
    assert AuditEvent.objects.filter(
        action="update", object_id=str(twin.pk), reason=f"merged into person {kept.pk}"
    ).exists()

    page = text(worker.get(f"/people/{kept.pk}/"))
    assert f"Record {twin.pk} merged into this record." in page
    assert f"/people/{kept.pk}/merges/{record.pk}/undo/" in page
    merged_page = text(worker.get(f"/people/{twin.pk}/"))
    assert 'data-testid="merged-notice"' in merged_page and f"Go to record {kept.pk}" in merged_page

    assert worker.get(f"/people/{kept.pk}/merges/{record.pk}/undo/").status_code == 200
    response = worker.post(f"/people/{kept.pk}/merges/{record.pk}/undo/")
    assert response.status_code == 302
    twin.refresh_from_db()
    record.refresh_from_db()
    assert twin.merged_into is None and record.undone_at is not None
    assert Referral.objects.filter(person=twin).count() == 1 and RiskAssessment.objects.get().person == twin
    assert AuditEvent.objects.filter(
        action="update", object_id=str(kept.pk), reason=f"undid merge of person {twin.pk}"
    ).exists()
    page = text(worker.get(f"/people/{kept.pk}/"))
    assert f"Merge undone: record {twin.pk} is separate again." in page and "Undone on" in page


def test_it_merges_once_when_the_form_is_sent_twice(worker, kept, twin):
    merge(worker, kept, twin)
    response = merge(worker, kept, twin)
    assert response.status_code == 302
    assert "That record has already been merged into this one." in text(worker.get(response["Location"]))
    assert PersonMerge.objects.count() == 1


def test_it_never_offers_a_merged_record_again(worker, kept, twin, hub):
    third = refer(hub, "Morwenna", "Tregarthan", date(1988, 5, 17), "ME4 4AB").person
    merge(worker, kept, twin)
    page = text(worker.get(f"/people/{third.pk}/merge/"))
    assert f"/merge/{kept.pk}/" in page and f"/merge/{twin.pk}/" not in page
    response = merge(worker, third, twin)
    assert response.status_code == 302
    assert "already been merged into another record" in text(worker.get(response["Location"]))
    assert PersonMerge.objects.count() == 1


def test_it_refuses_to_merge_a_record_that_others_were_merged_into(worker, kept, twin, hub):
    third = refer(hub, "Morwenna", "Tregarthan", date(1988, 5, 17), "ME4 4AB").person
    merge(worker, kept, twin)
    response = merge(worker, third, kept)
    assert "Merge from its page instead" in text(response)
    assert PersonMerge.objects.count() == 1


def test_it_undoes_a_merge_only_once(worker, kept, twin):
    merge(worker, kept, twin)
    record = PersonMerge.objects.get()
    worker.post(f"/people/{kept.pk}/merges/{record.pk}/undo/")
    response = worker.post(f"/people/{kept.pk}/merges/{record.pk}/undo/")
    assert "This merge has already been undone." in text(worker.get(response["Location"]))
    assert AuditEvent.objects.filter(reason=f"undid merge of person {twin.pk}").count() == 1
    response = worker.get(f"/people/{kept.pk}/merges/{record.pk}/undo/")
    assert response.status_code == 302


def test_it_marks_a_candidate_whose_merge_was_undone(worker, kept, twin):
    merge(worker, kept, twin)
    worker.post(f"/people/{kept.pk}/merges/{PersonMerge.objects.get().pk}/undo/")
    page = text(worker.get(f"/people/{kept.pk}/merge/"))
    assert "Merged before, then undone" in page


def test_it_lets_only_hub_staff_merge(hub, kept, twin, member, login):
    referral = Referral.objects.filter(person=kept).get()
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    route(referral, provider)
    caseworker = login(member(Role.CASEWORKER, provider))
    assert caseworker.get(f"/people/{kept.pk}/").status_code == 200
    assert caseworker.get(f"/people/{kept.pk}/merge/").status_code == 403
    assert merge(caseworker, kept, twin).status_code == 403
    assert "Merge with another record" not in text(caseworker.get(f"/people/{kept.pk}/"))
    other_hub = login(member(Role.TRIAGE_WORKER, OrganisationFactory(type=OrganisationType.HUB)))
    assert other_hub.get(f"/people/{kept.pk}/merge/").status_code == 404
    assert not PersonMerge.objects.exists()


def test_it_lets_only_hub_staff_undo(hub, kept, twin, worker, member, login):
    merge(worker, kept, twin)
    record = PersonMerge.objects.get()
    referral = Referral.objects.filter(person=kept).first()
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    route(referral, provider)
    assert (
        login(member(Role.CASEWORKER, provider)).post(f"/people/{kept.pk}/merges/{record.pk}/undo/").status_code == 403
    )
    record.refresh_from_db()
    assert record.undone_at is None


def test_it_hides_an_undo_for_another_record(worker, kept, twin, hub):
    merge(worker, kept, twin)
    record = PersonMerge.objects.get()
    third = refer(hub, "Ysella", "Hendra").person
    assert worker.post(f"/people/{third.pk}/merges/{record.pk}/undo/").status_code == 404


def test_it_changes_nothing_on_a_merged_record(worker, kept, twin):
    merge(worker, kept, twin)
    response = worker.post(f"/people/{twin.pk}/edit/", {"first_name": "Changed"})
    assert response.status_code == 302 and response["Location"] == f"/people/{twin.pk}/"
    assert f"merged into record {kept.pk}" in text(worker.get(response["Location"]))
    twin.refresh_from_db()
    assert twin.first_name == "Morwena"
    assert worker.get(f"/people/{twin.pk}/risk-assessment/").status_code == 302
    assert worker.get(f"/people/{twin.pk}/merge/").status_code == 302
