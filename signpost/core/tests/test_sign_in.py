import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from signpost.core import mfa
from signpost.core.models import AuditEvent
from signpost.testing.factories import TEST_PASSWORD, totp_device_for

pytestmark = pytest.mark.django_db


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def password_step(client, user, password=TEST_PASSWORD):
    return client.post("/staff/sign-in/", {"email": user.email, "password": password})


def test_password_alone_does_not_open_staff_pages(world):
    client = Client()
    totp_device_for(world.a.handler)
    response = password_step(client, world.a.handler)
    assert response["Location"] == "/staff/two-factor/"
    assert client.get("/staff/")["Location"] == "/staff/two-factor/"
    assert client.get("/staff/admin/")["Location"] == "/staff/two-factor/"


def test_password_and_totp_sign_in_is_audited_and_alerts_by_email(
    world, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user = world.a.handler
    device = totp_device_for(user)
    client = Client()
    password_step(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/two-factor/", {"code": code_for(device)})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.SIGN_IN).exists()
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "New sign-in" in mail.outbox[0].subject


def test_a_totp_code_works_only_once(world):
    user = world.a.handler
    device = totp_device_for(user)
    code = code_for(device)
    first = Client()
    password_step(first, user)
    assert first.post("/staff/two-factor/", {"code": code})["Location"] == "/staff/"
    second = Client()
    password_step(second, user)
    refused = second.post("/staff/two-factor/", {"code": code})
    assert refused.status_code == 200
    assert "used already" in refused.content.decode()
    assert second.get("/staff/")["Location"] == "/staff/two-factor/"


def test_wrong_code_is_refused_and_audited(world):
    user = world.a.handler
    device = totp_device_for(user)
    client = Client()
    password_step(client, user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/staff/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/staff/")["Location"] == "/staff/two-factor/"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGN_IN_FAILURE, details__step="second_factor"
    ).exists()


def test_recovery_code_signs_in_once(world):
    user = world.a.lead
    totp_device_for(user)
    codes = mfa.recovery_codes_generate(user=user)
    first = Client()
    password_step(first, user)
    assert first.post("/staff/two-factor/", {"code": codes[0].upper()})["Location"] == "/staff/"
    assert mfa.recovery_codes_remaining(user) == 9
    second = Client()
    password_step(second, user)
    assert second.post("/staff/two-factor/", {"code": codes[0]}).status_code == 200
    assert second.get("/staff/")["Location"] == "/staff/two-factor/"


def test_recovery_codes_are_stored_only_as_hashes(world):
    user = world.a.lead
    codes = mfa.recovery_codes_generate(user=user)
    stored = list(user.recoverycodedevice_set.get().codes.values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {mfa.recovery_code_normalise(code) for code in codes} & set(stored)


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes_once(world):
    user = world.a.analyst
    client = Client()
    password_step(client, user)
    page = client.get("/staff/two-factor/")
    assert b"Set up your authenticator app" in page.content
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/staff/two-factor/", {"code": code_for(device)})
    assert response["Location"] == "/staff/account/recovery-codes/"
    shown = client.get("/staff/account/recovery-codes/")
    assert len(shown.context["codes"]) == 10
    again = client.get("/staff/account/recovery-codes/")
    assert again.context["codes"] is None
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.MFA_ENROL).exists()


def test_wrong_password_is_refused_and_audited_without_the_address_typed(world):
    client = Client()
    response = password_step(client, world.a.handler, password="wrong password")
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILURE)
    assert event.target_id == str(world.a.handler.pk)
    assert world.a.handler.email not in str(event.details)


def test_lockout_after_five_failures_even_with_the_right_password(world):
    client = Client()
    for _attempt in range(5):
        password_step(client, world.a.handler, password="wrong password")
    locked = password_step(client, world.a.handler)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT).exists()
    # Another account from the same address is not locked by this one's failures.
    assert password_step(client, world.a.lead)["Location"] == "/staff/two-factor/"


def test_sign_in_is_rate_limited_per_address(world, settings):
    from django.core.cache import cache

    cache.clear()
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [
        client.post(
            "/staff/sign-in/", {"email": f"nobody{n}@example.org", "password": "x"}
        ).status_code
        for n in range(31)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_sign_out_ends_the_session(world, signed_in):
    client = signed_in(world.a.handler)
    assert client.post("/staff/sign-out/")["Location"] == "/staff/sign-in/"
    assert client.get("/staff/").status_code == 302
    assert client.get("/staff/sign-out/").status_code == 405
