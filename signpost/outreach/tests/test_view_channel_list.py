from django.urls import reverse

from signpost.outreach.tests import factories as f
from signpost.outreach.tests.conftest import CHARITY_VIEWERS

URL = reverse("outreach:channel_list")


def test_staff_see_their_regions_channels(world, signed_in):
    f.channel(world.a)
    f.channel(world.b, "Polacy w Nottingham", language="pl")
    for role in CHARITY_VIEWERS:
        page = signed_in(world.a.users[role]).get(URL).content.decode()
        assert "Românii din Birmingham" in page, role
        assert "Polacy w Nottingham" not in page
        # The contact person is personal data: only on the channel's own page, audited there.
        assert "Ioana" not in page


def test_volunteers_police_and_admins_get_404(world, signed_in):
    for role in ("volunteer", "police_liaison", "admin"):
        assert signed_in(world.a.users[role]).get(URL).status_code == 404, role
