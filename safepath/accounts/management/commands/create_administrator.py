"""`safepath create_administrator`: the first administrator of a new deployment.

Everyone else is added in the app by an administrator.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safepath.accounts.models import Membership, Organisation, User
from safepath.core.audit import Action, audit_event
from safepath.core.roles import OrganisationType, Role


class Command(BaseCommand):
    help = "Create an administrator (and their organisation if it does not exist)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="The administrator's full name.")
        parser.add_argument("--organisation", required=True, help="The host organisation's name.")
        parser.add_argument("--type", default=OrganisationType.HUB, choices=OrganisationType.values)

    def handle(self, *args: Any, email: str, name: str, organisation: str, type: str, **options: Any) -> None:
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError("An account with this email address already exists.")
        password = os.environ.get("SAFEPATH_ADMIN_PASSWORD") or self._ask_password()
        try:
            validate_password(password, User(email=email, full_name=name))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            org, _ = Organisation.objects.get_or_create(name=organisation, defaults={"type": type})
            user = User.objects.create_user(email=email, password=password, full_name=name)
            Membership.objects.create(user=user, organisation=org, role=Role.ADMINISTRATOR)
            audit_event(action=Action.CREATE, obj=user, reason="created by create_administrator")
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.pk} created. They set up an authenticator app at first sign-in."))

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
