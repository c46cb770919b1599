from django.test import RequestFactory

from safepath.core.roles import Role
from safepath.core.views import error_500


def test_it_shows_an_accessible_404_that_leaks_nothing(db, member, login):
    response = login(member(Role.CASEWORKER)).get("/admin/users/999999/secret-path/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "999999" not in page and "Traceback" not in page
    assert '<main class="govuk-main-wrapper' in page


def test_it_shows_a_403_page_for_a_refusal(db, member, login):
    response = login(member(Role.CASEWORKER)).get("/admin/audit/")
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


def test_it_renders_the_500_page_without_a_signed_in_context(db):
    request = RequestFactory().get("/broken/")
    request.csp_nonce = "abc"
    response = error_500(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_it_hides_self_service_email_changes(db, member, login):
    assert login(member(Role.CASEWORKER)).get("/account/email/").status_code == 404
