"""A service's address never appears in any response to anyone outside the service: not the
hub, other providers, commissioners, administrators, nor the referring side of a placement.
Every page and export that lists services or placements is fetched by every one of them."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from safepath.accommodation.tests.factories import MARKER

SEARCH = "gender=woman&adults=1&girls_ages=&boys_ages=&language=&area={medway}"
RETURN = "from_day=1&from_month=4&from_year=2025&to_day=31&to_month=3&to_year=2027"


def urls(acc: dict[str, Any]) -> list[str]:
    case, placement, pending = acc["case"], acc["placement"], acc["pending"]
    search = SEARCH.format(medway=acc["medway"].pk)
    return [
        reverse("accommodation:services"),
        reverse("accommodation:service", args=[acc["refuge"].pk]),
        reverse("accommodation:service", args=[acc["sanctuary"].pk]),
        f"{reverse('accommodation:search')}?{search}",
        f"{reverse('accommodation:search')}?{search}&case={case.pk}",
        reverse("accommodation:vacancies"),
        reverse("accommodation:placements"),
        reverse("accommodation:placements") + "?show=all",
        reverse("accommodation:placement", args=[placement.pk]),
        reverse("accommodation:placement", args=[pending.pk]),
        reverse("accommodation:placement_decide", args=[pending.pk]),
        reverse("accommodation:placement_end", args=[placement.pk]),
        reverse("accommodation:case_placements", args=[case.pk]),
        reverse("accommodation:refer", args=[case.pk, acc["refuge"].pk]),
        reverse("accommodation:refer", args=[case.pk, acc["city_refuge"].pk]),
        reverse("accommodation:unmet_need_add", args=[case.pk]),
        reverse("accommodation:bedspace_add", args=[acc["refuge"].pk]),
        reverse("accommodation:service_add"),
        f"{reverse('accommodation:part4_return')}?{RETURN}",
        f"{reverse('accommodation:part4_return')}?{RETURN}&format=csv",
        f"{reverse('accommodation:part4_return')}?{RETURN}&format=xlsx",
        reverse("home"),
    ]


def text_of(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an XLSX: read every part of the zip
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("who", ["referrer", "other", "hub", "commissioner", "admin", "volunteer"])
def test_it_never_shows_an_address_outside_the_service(acc, login, who):
    client = login(acc["users"][who])
    seen = {}
    for url in urls(acc):
        response = client.get(url)
        seen[url] = response.status_code
        assert MARKER not in text_of(response), f"{who} saw an address at {url}"
    # The check means something: each of them reached some of these pages.
    assert any(status == 200 for status in seen.values()), seen


def test_it_shows_the_address_only_on_the_service_page_to_its_own_staff(acc, login):
    client = login(acc["users"]["runner"])
    own_pages = {reverse("accommodation:service", args=[acc[s].pk]) for s in ("refuge", "sanctuary")}
    for url in urls(acc):
        response = client.get(url)
        assert (MARKER in text_of(response)) == (url in own_pages), url


def test_it_audits_the_address_being_shown(acc, login):
    from safepath.core.models import AuditEvent

    login(acc["users"]["runner"]).get(reverse("accommodation:service", args=[acc["refuge"].pk]))
    event = AuditEvent.objects.filter(object_type="accommodation.service", reason="address shown").get()
    assert event.object_id == str(acc["refuge"].pk)


def test_it_keeps_the_address_out_of_logs_and_audit(acc, login, caplog):
    import logging

    from safepath.core.models import AuditEvent

    caplog.set_level(logging.DEBUG)
    client = login(acc["users"]["runner_manager"])
    client.get(reverse("accommodation:service", args=[acc["refuge"].pk]))
    client.post(reverse("accommodation:service_address", args=[acc["refuge"].pk]), {"address": f"1 {MARKER}, Newtown"})
    login(acc["users"]["other"]).get(reverse("accommodation:service", args=[acc["refuge"].pk]))
    assert MARKER not in caplog.text
    assert not any(MARKER in reason for reason in AuditEvent.objects.values_list("reason", flat=True))
    assert AuditEvent.objects.filter(reason="address changed", object_id=str(acc["refuge"].pk)).exists()
