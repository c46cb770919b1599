import os
import subprocess
import sys

from django.test import Client


def test_it_sends_security_headers_on_signed_in_pages(db, member, login):
    from safepath.core.roles import Role

    response = login(member(Role.CASEWORKER)).get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp and "'unsafe-inline'" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_it_marks_public_pages_no_store_too(db, client):
    response = client.get("/glossary/")
    assert response["Cache-Control"] == "no-store"


def test_it_sets_httponly_session_and_csrf_cookies(db, client):
    response = client.get("/account/login/")
    assert response.cookies["safepath_csrf"]["httponly"]


def test_it_rejects_a_forged_post_without_a_csrf_token(db, member):
    from safepath.core.roles import Role

    client = Client(enforce_csrf_checks=True)
    client.force_login(member(Role.ADMINISTRATOR), backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.post("/admin/areas/new/", {"name": "Forged"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content
    from safepath.areas.models import Area

    assert not Area.objects.filter(name="Forged").exists()


def test_it_passes_the_deployment_check_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "SAFEPATH_ENV": "production",
        "SAFEPATH_SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-check-only-" + "y" * 20,
        "SAFEPATH_ALLOWED_HOSTS": "safepath.example.org",
        "SAFEPATH_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "safepath.settings",
        "SAFEPATH_ADDRESS_KEY": "A" * 43 + "=",  # a well-formed Fernet key, for the check only
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "SAFEPATH_ENV": "production",
        "SAFEPATH_ALLOWED_HOSTS": "x.org",
        "SAFEPATH_VAR_DIR": str(tmp_path),
    }
    env.pop("SAFEPATH_SECRET_KEY", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='safepath.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SAFEPATH_SECRET_KEY must be set" in result.stderr


def test_it_reads_the_client_address_only_through_trusted_proxies(db, settings, client):
    from safepath.core.models import AuditEvent

    client.get("/admin/", HTTP_X_FORWARDED_FOR="203.0.113.9")  # untrusted: ignored
    settings.SAFEPATH_TRUSTED_PROXIES = 1
    client.post(
        "/account/login/",
        {"login": "x@example.test", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
    )
    event = AuditEvent.objects.filter(action="sign_in_failed").latest("id")
    assert event.ip_address == "203.0.113.9"
