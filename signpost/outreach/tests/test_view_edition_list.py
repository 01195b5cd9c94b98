from django.urls import reverse

from signpost.outreach.tests import factories as f

URL = reverse("outreach:edition_list")


def test_lead_sees_the_regions_editions_and_admin_all(world, signed_in):
    f.edition(world.a, "ro", name="Spring 2026")
    f.edition(world.b, "pl", name="Autumn 2026")
    lead = signed_in(world.a.lead).get(URL).content.decode()
    admin = signed_in(world.a.admin).get(URL).content.decode()
    assert "Spring 2026" in lead
    assert "Autumn 2026" not in lead
    assert "Autumn 2026" in admin


def test_others_get_404(world, signed_in):
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison"):
        assert signed_in(world.a.users[role]).get(URL).status_code == 404, role
