import pytest

pytestmark = pytest.mark.django_db


def test_staff_pages_are_never_cached_and_have_a_strict_policy(client):
    response = client.get("/staff/sign-in/")
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_healthz_says_ok_and_nothing_else(client):
    response = client.get("/healthz")
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


def test_post_with_null_origin_needs_same_origin_fetch_and_a_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.get("/staff/sign-in/")
    token = page.cookies["csrftoken"].value
    data = {"email": world.a.lead.email, "password": "x", "csrfmiddlewaretoken": token}
    cross_site = client.post(
        "/staff/sign-in/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert cross_site.status_code == 403
    same_origin = client.post(
        "/staff/sign-in/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert same_origin.status_code == 200
    without_token = client.post(
        "/staff/sign-in/",
        {"email": "a@b.c", "password": "x"},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert without_token.status_code == 403
