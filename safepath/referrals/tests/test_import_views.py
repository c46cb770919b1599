"""The upload page for hub staff, the result page and the rejected rows download."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import ImportRun, Referral
from safepath.referrals.tests.test_import_support import area, csv_bytes, frozen, hub, row  # noqa: F401

URL = reverse("referrals:import")


@pytest.fixture
def worker(member, hub):  # noqa: F811
    return member(Role.TRIAGE_WORKER, organisation=hub)


@pytest.fixture
def client_for(login):
    return login


def upload(client, data: bytes, name: str = "police-daily.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_it_shows_the_upload_form(client_for, worker, frozen):  # noqa: F811
    response = client_for(worker).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and 'for="id_file"' in html
    assert "Up to 10 MB." in html


def test_it_imports_a_good_file_and_shows_the_summary_without_names(client_for, worker, hub, frozen):  # noqa: F811
    client = client_for(worker)
    data = csv_bytes(
        [
            row(),
            row(first_name="Ann", last_name="Lee", date_of_birth="1980-02-02"),
            row(first_name="Zelda", dash_score="99"),
        ]
    )
    response = upload(client, data)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:import_run", args=[run.pk])
    assert (run.by, run.hub, run.filename, run.imported, run.rejected) == (worker, hub, "police-daily.csv", 2, 1)
    assert set(Referral.objects.values_list("hub", flat=True)) == {hub.pk}
    assert AuditEvent.objects.filter(action="create", object_type="referrals.referral", user_id=worker.pk).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "imported 2, skipped 0, rejected 1" in page
    assert "dash_score must be a whole number from 0 to 24, or blank" in page and ">4<" in page
    assert "Zelda" not in page and "Jane" not in page and "Smith" not in page
    assert reverse("referrals:import_rejects", args=[run.pk]) in page
    assert AuditEvent.objects.filter(action="view", object_type="referrals.importrun", object_id=str(run.pk)).exists()


def test_it_skips_everything_when_the_same_file_is_uploaded_twice(client_for, worker, frozen):  # noqa: F811
    client = client_for(worker)
    data = csv_bytes([row(), row(first_name="Ann")])
    upload(client, data)
    upload(client, data)
    assert Referral.objects.count() == 2
    assert list(ImportRun.objects.order_by("pk").values_list("imported", "skipped")) == [(2, 0), (0, 2)]


def test_it_refuses_a_file_that_is_not_utf8_with_a_plain_reason(client_for, worker, frozen):  # noqa: F811
    data = "source,source_ref,received_at,first_name,last_name\r\npolice,1,2026-01-01,Zoé,Smith\r\n".encode("cp1252")
    response = upload(client_for(worker), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "The file is not UTF-8 text" in html and "Nothing was imported." in html
    assert not Referral.objects.exists() and not ImportRun.objects.exists()


def test_it_refuses_a_file_without_the_required_columns(client_for, worker, frozen):  # noqa: F811
    response = upload(client_for(worker), b"name,date\r\nJane,2026-01-01\r\n")
    assert (
        "The file has no source, source_ref, received_at, first_name, last_name columns." in response.content.decode()
    )


def test_it_refuses_a_file_that_is_too_big(client_for, worker, settings, frozen):  # noqa: F811
    settings.SAFEPATH_IMPORT_MAX_BYTES = 200
    response = upload(client_for(worker), csv_bytes([row(), row(), row()]))
    assert "The selected file must be smaller than 200 bytes" in response.content.decode()
    assert not Referral.objects.exists()


def test_it_refuses_a_file_that_is_not_csv(client_for, worker, frozen):  # noqa: F811
    response = upload(client_for(worker), csv_bytes([row()]), name="referrals.xlsx")
    assert "The selected file must be a CSV file (ending .csv)" in response.content.decode()
    assert not Referral.objects.exists()


def test_it_asks_for_a_file(client_for, worker):
    response = client_for(worker).post(URL, {})
    assert response.status_code == 200 and "Select a CSV file" in response.content.decode()


def test_it_lets_only_the_importer_download_the_rejected_rows_safely(client_for, worker, member, hub, frozen):  # noqa: F811
    client = client_for(worker)
    upload(client, csv_bytes([row(first_name='=HYPERLINK("http://x")', dash_score="99"), row(source="")]))
    run = ImportRun.objects.get()
    rejects_url = reverse("referrals:import_rejects", args=[run.pk])
    response = client.get(rejects_url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="import-{run.pk}-rejects.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [(r["line"], r["reason"]) for r in rows] == [
        ("2", "dash_score must be a whole number from 0 to 24, or blank"),
        ("3", "source is missing"),
    ]
    assert rows[0]["first_name"] == '\'=HYPERLINK("http://x")'
    assert AuditEvent.objects.filter(
        action="export", object_type="referrals.importrun", object_id=str(run.pk), user_id=worker.pk
    ).exists()
    colleague = member(Role.TRIAGE_WORKER, organisation=hub)
    colleague_client = client_for(colleague)
    assert colleague_client.get(rejects_url).status_code == 404
    page = colleague_client.get(reverse("referrals:import_run", args=[run.pk]))
    assert page.status_code == 200 and rejects_url not in page.content.decode()


def test_it_hides_other_hubs_imports(client_for, worker, member, frozen):  # noqa: F811
    from safepath.testing import OrganisationFactory

    other_hub = OrganisationFactory(type=OrganisationType.HUB)
    outsider = member(Role.TRIAGE_WORKER, organisation=other_hub)
    run = ImportRun.objects.create(by=outsider, hub=other_hub, filename="theirs.csv")
    client = client_for(worker)
    assert client.get(reverse("referrals:import_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("referrals:import_rejects", args=[run.pk])).status_code == 404
    mine = ImportRun.objects.create(by=worker, hub=worker.memberships.get().organisation, imported=7)
    page = client.get(URL).content.decode()
    assert reverse("referrals:import_run", args=[mine.pk]) in page
    assert reverse("referrals:import_run", args=[run.pk]) not in page


@pytest.mark.parametrize("role", [Role.REFERRING_PROFESSIONAL, Role.CASEWORKER, Role.COMMISSIONER, Role.ADMINISTRATOR])
def test_it_forbids_other_roles(db, client_for, member, role, frozen):  # noqa: F811
    client = client_for(member(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": SimpleUploadedFile("a.csv", csv_bytes([row()]))}).status_code == 403
    assert not Referral.objects.exists()


def test_it_lets_a_hub_team_manager_import(client_for, member, hub, frozen):  # noqa: F811
    manager = member(Role.TEAM_MANAGER, organisation=hub)
    assert upload(client_for(manager), csv_bytes([row()])).status_code == 302


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_it_reads_a_large_upload_kept_in_a_temporary_file(client_for, worker, settings, frozen):  # noqa: F811
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    response = upload(client_for(worker), csv_bytes([row(), row(first_name="Ann")], bom=True))
    assert response.status_code == 302 and ImportRun.objects.get().imported == 2


def test_it_gives_the_download_the_files_columns_whatever_their_case(client_for, worker, frozen):  # noqa: F811
    text = "Notes,Source,source_ref,received_at,first_name,LAST_NAME\r\nx,police,1,2026-01-01,Jane,\r\n"
    client = client_for(worker)
    upload(client, text.encode())
    run = ImportRun.objects.get()
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("referrals:import_rejects", args=[run.pk])).content.decode()))
    )
    assert rows == [
        ["Source", "source_ref", "received_at", "first_name", "LAST_NAME", "Notes", "line", "reason"],
        ["police", "1", "2026-01-01", "Jane", "", "x", "2", "last_name is missing"],
    ]
