from django.urls import reverse

from signpost.core.models import AuditEvent


def url(point):
    return reverse("outreach:point_edit", args=[point.pk])


def test_lead_changes_a_place_and_the_change_is_audited_by_field(world, scene, signed_in):
    response = signed_in(world.a.lead).post(
        url(scene.point),
        {
            "name": "Hurst Street (Arcadian)",
            "kind": "street",
            "area": world.a.areas[0].pk,
            "latitude": "52.47512",
            "longitude": "-1.89406",
        },
    )

    scene.point.refresh_from_db()
    assert response.status_code == 302
    assert scene.point.name == "Hurst Street (Arcadian)"
    assert not scene.point.is_active
    event = AuditEvent.objects.get(action="update", target_type="outreach.distributionpoint")
    assert event.details == {"fields": ["is_active", "name"]}


def test_others_get_404(world, scene, signed_in):
    assert signed_in(world.b.lead).get(url(scene.point)).status_code == 404
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison"):
        assert signed_in(world.a.users[role]).get(url(scene.point)).status_code == 404, role
    assert signed_in(world.a.admin).get(url(scene.point_b)).status_code == 200
