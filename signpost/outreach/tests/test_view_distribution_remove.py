from django.urls import reverse

from signpost.outreach.models import Distribution


def url(entry):
    return reverse("outreach:distribution_remove", args=[entry.pk])


def test_volunteer_takes_back_own_entry(world, scene, signed_in):
    response = signed_in(world.a.volunteer).post(url(scene.own_entry))
    assert response.status_code == 302
    assert not Distribution.objects.filter(pk=scene.own_entry.pk).exists()


def test_volunteer_cannot_remove_a_colleagues_entry(world, scene, signed_in):
    assert signed_in(world.a.volunteer).post(url(scene.colleague_entry)).status_code == 404
    assert Distribution.objects.filter(pk=scene.colleague_entry.pk).exists()


def test_lead_removes_an_entry_in_the_region_but_not_elsewhere(world, scene, signed_in):
    lead = signed_in(world.a.lead)
    assert lead.post(url(scene.colleague_entry)).status_code == 302
    assert lead.post(url(scene.entry_b)).status_code == 404
    assert Distribution.objects.filter(pk=scene.entry_b.pk).exists()


def test_viewers_cannot_remove(world, scene, signed_in):
    for role in ("handler", "investigator", "analyst", "admin", "police_liaison"):
        assert signed_in(world.a.users[role]).post(url(scene.own_entry)).status_code == 404
    assert signed_in(world.b.lead).post(url(scene.own_entry)).status_code == 404
    assert Distribution.objects.filter(pk=scene.own_entry.pk).exists()


def test_remove_needs_a_post(world, scene, signed_in):
    assert signed_in(world.a.volunteer).get(url(scene.own_entry)).status_code == 405
