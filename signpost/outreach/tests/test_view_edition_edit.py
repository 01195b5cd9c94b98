from django.urls import reverse

from signpost.outreach.tests import factories as f


def url(edition):
    return reverse("outreach:edition_edit", args=[edition.pk])


def fields(edition, **changes):
    data = {
        name: getattr(edition, name)
        for name in ("name", "title", "what_is", "signs", "get_help", "contact")
    }
    return {**data, "is_current": "on", **changes}


def test_lead_edits_the_text_and_can_put_the_shipped_text_back(world, signed_in):
    edition = f.edition(world.a, "ro")
    shipped = edition.title
    client = signed_in(world.a.lead)

    page = client.get(url(edition)).content.decode()
    assert 'lang="ro"' in page
    client.post(url(edition), fields(edition, title="Ai nevoie de ajutor?"))
    edition.refresh_from_db()
    assert edition.title == "Ai nevoie de ajutor?"

    client.post(url(edition), {"reset": "1"})
    edition.refresh_from_db()
    assert edition.title == shipped


def test_empty_text_is_refused_and_nothing_changes(world, signed_in):
    edition = f.edition(world.a, "en")
    response = signed_in(world.a.lead).post(url(edition), fields(edition, signs=""))
    assert "This field is required." in response.content.decode()
    edition.refresh_from_db()
    assert edition.signs


def test_others_get_404(world, signed_in):
    edition = f.edition(world.a, "en")
    assert signed_in(world.b.lead).get(url(edition)).status_code == 404
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison"):
        assert signed_in(world.a.users[role]).get(url(edition)).status_code == 404, role
    assert signed_in(world.b.admin).get(url(edition)).status_code == 200
