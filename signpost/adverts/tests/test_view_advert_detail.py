import pytest

from signpost.adverts.tests.helpers import NO_ACCESS_ROLES, READER_ROLES, populate
from signpost.core.models import AuditEvent


def url(advert):
    return f"/staff/adverts/a/{advert.public_id}/"


@pytest.mark.parametrize("role", READER_ROLES)
def test_detail_shows_indicators_on_their_words_and_is_audited(world, signed_in, role):
    data = populate(world)
    response = signed_in(world.a.users[role]).get(url(data["advert"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark data-indicators="new_arrival">Just arrived</mark>' in html
    assert '<mark data-indicators="obfuscated_contact">' in html
    assert "+447911123456" in html
    assert "never labels an advert as trafficking" in html
    assert "Same contact across towns within days" in html  # the group's circuit
    assert AuditEvent.objects.filter(
        action="view", target_type="adverts.advert", target_id=str(data["advert"].pk)
    ).exists()


def test_advert_text_is_escaped(world, signed_in):
    data = populate(world, with_case=False)
    html = signed_in(world.a.analyst).get(url(data["hostile"])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_alert_links_to_the_case(world, signed_in):
    data = populate(world)
    html = signed_in(world.a.investigator).get(url(data["advert"])).content.decode()
    assert f"/staff/cases/{data['case'].pk}/" in html


@pytest.mark.parametrize("role", READER_ROLES)
def test_outsiders_get_404(world, signed_in, role):
    data = populate(world, with_case=False)
    assert signed_in(world.b.users[role]).get(url(data["advert"])).status_code == 404


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_roles_without_access_get_404(world, signed_in, role):
    data = populate(world, with_case=False)
    assert signed_in(world.a.users[role]).get(url(data["advert"])).status_code == 404
