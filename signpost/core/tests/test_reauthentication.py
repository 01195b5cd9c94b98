from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path
from django.utils import timezone

from signpost.core.decorators import reauthentication_required
from signpost.core.models import AuditEvent
from signpost.testing.factories import TEST_PASSWORD, totp_device_for

from .test_sign_in import code_for

pytestmark = pytest.mark.django_db


@reauthentication_required
def export_view(request):
    return HttpResponse("exported")


urlpatterns = [path("staff/test-export/", export_view)]


@pytest.fixture(autouse=True)
def _urls(settings):
    import signpost.urls

    settings.ROOT_URLCONF = __name__
    globals()["urlpatterns"] = [*urlpatterns[:1], *signpost.urls.urlpatterns]


def test_sensitive_view_asks_for_password_and_a_fresh_code(world, signed_in):
    user = world.a.lead
    client = signed_in(user)
    device = totp_device_for(user)
    response = client.get("/staff/test-export/")
    assert response["Location"] == "/staff/reauthenticate/?next=%2Fstaff%2Ftest-export%2F"
    wrong = client.post(
        "/staff/reauthenticate/",
        {"password": "nope", "code": code_for(device), "next": "/staff/test-export/"},
    )
    assert wrong.status_code == 200
    right = client.post(
        "/staff/reauthenticate/",
        {
            "password": TEST_PASSWORD,
            "code": code_for(device, offset=1),
            "next": "/staff/test-export/",
        },
    )
    assert right["Location"] == "/staff/test-export/"
    assert client.get("/staff/test-export/").content == b"exported"
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.REAUTHENTICATE).exists()


def test_reauthentication_expires_after_five_minutes(world, signed_in):
    user = world.a.lead
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(user)
        device = totp_device_for(user)
        client.post(
            "/staff/reauthenticate/",
            {"password": TEST_PASSWORD, "code": code_for(device), "next": "/staff/"},
        )
        assert client.get("/staff/test-export/").status_code == 200
        traveller.shift(timedelta(minutes=6))
        assert client.get("/staff/test-export/").status_code == 302


def test_next_cannot_leave_the_site(world, signed_in):
    user = world.a.lead
    client = signed_in(user)
    device = totp_device_for(user)
    response = client.post(
        "/staff/reauthenticate/",
        {"password": TEST_PASSWORD, "code": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/staff/"


def test_anonymous_is_sent_to_sign_in():
    request = RequestFactory().get("/staff/test-export/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert export_view(request).status_code == 302
