from django.urls import reverse

from signpost.outreach.models import PointLeaflet
from signpost.outreach.tests import factories as f
from signpost.public.models import LandingToken


def url(point):
    return reverse("outreach:leaflet_generate", args=[point.pk])


def test_lead_makes_the_romanian_leaflet_for_a_place(world, scene, signed_in):
    response = signed_in(world.a.lead).post(url(scene.point), {"edition": scene.edition.pk})

    leaflet = PointLeaflet.objects.get()
    assert response.status_code == 302
    assert (leaflet.point, leaflet.edition) == (scene.point, scene.edition)
    assert leaflet.landing_token.language == "ro"


def test_an_edition_of_another_region_is_refused(world, scene, signed_in):
    other = f.edition(world.b, "pl")
    response = signed_in(world.a.lead).post(url(scene.point), {"edition": other.pk}, follow=True)
    assert "Choose an edition that is in use in this region." in response.content.decode()
    assert not PointLeaflet.objects.exists()
    assert not LandingToken.objects.exists()


def test_others_cannot_make_leaflets(world, scene, signed_in):
    for user in (world.b.lead, world.a.handler, world.a.investigator, world.a.volunteer):
        response = signed_in(user).post(url(scene.point), {"edition": scene.edition.pk})
        assert response.status_code == 404
    assert signed_in(world.a.lead).get(url(scene.point)).status_code == 405
    assert not PointLeaflet.objects.exists()
