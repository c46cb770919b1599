import pytest
from django.core.management import CommandError, call_command

from safepath.accounts.models import Membership


def test_it_creates_the_first_administrator(db, monkeypatch):
    monkeypatch.setenv("SAFEPATH_ADMIN_PASSWORD", "a-long-and-unusual-passphrase")
    call_command("create_administrator", "Admin@Council.test", name="First Admin", organisation="Council Hub")
    membership = Membership.objects.get(user__email="admin@council.test")
    assert membership.role == "administrator"
    assert membership.organisation.type == "hub"
    assert membership.user.check_password("a-long-and-unusual-passphrase")


def test_it_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("SAFEPATH_ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command("create_administrator", "a@b.test", name="A", organisation="Hub")
    assert not Membership.objects.exists()
