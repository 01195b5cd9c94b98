import pytest

from signpost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_account_page_shows_own_details(world, signed_in):
    response = signed_in(world.a.investigator).get("/staff/account/")
    assert response.status_code == 200
    assert world.a.investigator.email.encode() in response.content


def test_switch_language_to_romanian(world, signed_in):
    client = signed_in(world.a.investigator)
    response = client.post(
        "/staff/account/language/", {"language": "ro", "next": "/staff/account/"}
    )
    assert response["Location"] == "/staff/account/"
    world.a.investigator.refresh_from_db()
    assert world.a.investigator.language == "ro"
    assert client.get("/staff/").wsgi_request.LANGUAGE_CODE == "ro"
    assert AuditEvent.objects.filter(actor=world.a.investigator, action="update").exists()


def test_unknown_language_and_foreign_next_are_refused(world, signed_in):
    client = signed_in(world.a.investigator)
    response = client.post(
        "/staff/account/language/", {"language": "xx", "next": "//evil.example/"}
    )
    assert response["Location"] == "/staff/"
    world.a.investigator.refresh_from_db()
    assert world.a.investigator.language == "en"


def test_staff_pages_follow_the_users_language(world, signed_in):
    user = world.a.investigator
    user.language = "ro"
    user.save()
    response = signed_in(user).get("/staff/")
    content = response.content.decode()
    assert 'lang="ro"' in content
    assert "Acasă" in content
    assert "Deconectare" in content
