"""Staff edit the public pages' text in the admin: it overrides the shipped text, escaped and
audited; without a row for a language the shipped translation shows."""

from __future__ import annotations

import pytest

from signpost.core.models import AuditEvent
from signpost.public.models import LandingToken, PageContent
from signpost.public.tests.helpers import anonymous, translated, url
from signpost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/staff/admin/public/pagecontent/add/"


@pytest.fixture
def configurer(signed_in):
    admin = UserFactory(email="configurer@example.org", is_staff=True, is_superuser=True)
    return admin, signed_in(admin)


def _add(client, **fields):
    data = {"page": "signs", "language": "ro", "title": "Semnele", "body": "Primul paragraf."}
    return client.post(ADD_URL, {**data, **fields})


def test_staff_text_replaces_the_shipped_text_for_that_language_only(configurer):
    admin, client = configurer
    response = _add(
        client,
        title="Semnele <i>exploatării</i>",
        body="Primul paragraf <script>alert(1)</script>.\n\n- unu\n- doi <b>gros</b>\n\n## Titlu",
    )
    assert response.status_code == 302
    content = PageContent.objects.get(page="signs", language="ro")
    assert content.updated_by == admin

    html = anonymous().get(url("public:signs", "ro")).content.decode()
    assert "Semnele &lt;i&gt;exploatării&lt;/i&gt;" in html
    assert "Primul paragraf &lt;script&gt;alert(1)&lt;/script&gt;." in html
    assert "<li>doi &lt;b&gt;gros&lt;/b&gt;</li>" in html
    assert '<h2 class="govuk-heading-m">Titlu</h2>' in html
    assert "<script>alert(1)" not in html
    assert translated("Spot the signs", "ro") not in html.split("<main", 1)[1].split("<h1", 1)[1]

    english = anonymous().get(url("public:signs", "en")).content.decode()
    assert "Someone else keeps their passport or ID documents." in english
    assert "Primul paragraf" not in english


def test_every_edit_is_audited(configurer):
    admin, client = configurer
    _add(client)
    content = PageContent.objects.get()
    created = AuditEvent.objects.get(target_type="public.pagecontent", action="create")
    assert created.actor == admin
    assert created.details == {"page": "signs", "language": "ro", "fields": ["body", "title"]}

    change_url = f"/staff/admin/public/pagecontent/{content.pk}/change/"
    response = client.post(change_url, {"title": "Semnele", "body": "Alt text."})
    assert response.status_code == 302
    updated = AuditEvent.objects.get(target_type="public.pagecontent", action="update")
    assert updated.actor == admin
    assert updated.details["fields"] == ["body"]
    assert "Alt text." in anonymous().get(url("public:signs", "ro")).content.decode()

    delete_url = f"/staff/admin/public/pagecontent/{content.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(target_type="public.pagecontent", action="delete").exists()
    shipped = anonymous().get(url("public:signs", "ro")).content.decode()
    assert translated("Spot the signs", "ro") in shipped
    assert "Alt text." not in shipped


def test_one_text_per_page_and_language(configurer):
    _admin, client = configurer
    _add(client)
    response = _add(client, title="Again")
    assert response.status_code == 200
    assert PageContent.objects.count() == 1


def test_home_and_get_help_keep_their_links_and_phone_numbers_under_staff_text(configurer):
    _admin, client = configurer
    _add(client, page="get_help", language="en", title="Help", body="Our own words.")
    html = anonymous().get(url("public:get_help", "en")).content.decode()
    assert "Our own words." in html
    assert 'href="tel:999"' in html
    assert 'href="tel:+448000121700"' in html


def test_people_without_admin_access_cannot_edit(signed_in):
    client = signed_in(UserFactory(email="someone@example.org"))
    response = _add(client)
    assert response.status_code in (302, 403, 404)
    assert not PageContent.objects.exists()


def test_a_landing_token_made_in_the_admin_is_audited_and_cannot_be_deleted(configurer):
    admin, client = configurer
    response = client.post(
        "/staff/admin/public/landingtoken/add/",
        {"label": "Leaflet, Digbeth", "language": "ro", "region": ""},
    )
    assert response.status_code == 302
    token = LandingToken.objects.get()
    assert len(token.token) >= 22
    assert AuditEvent.objects.get(target_type="public.landingtoken").actor == admin
    change_url = f"/staff/admin/public/landingtoken/{token.pk}/change/"
    assert client.post(change_url, {"is_active": ""}).status_code == 302
    token.refresh_from_db()
    assert token.is_active is False
    assert client.get(f"/staff/admin/public/landingtoken/{token.pk}/delete/").status_code == 403
