"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from signpost.core.models import User
from signpost.testing.factories import totp_device_for
from signpost.testing.world import World, build_world


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in English, whatever language an earlier test activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def signed_in(db: None) -> Callable[[User], Client]:
    """A new test client signed in as the user, with a verified second factor."""

    def sign_in(user: User) -> Client:
        client = Client()
        device = totp_device_for(user)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in


from signpost.testing.browser import browser, page, phone_page  # noqa: F401
