import io

import pypdf
from django.urls import reverse

from signpost.core.models import AuditEvent
from signpost.outreach.tests import factories as f


def url(leaflet, layout="a6"):
    return reverse("outreach:leaflet_pdf", args=[leaflet.pk, layout])


def test_lead_downloads_the_pdf_and_the_export_is_audited(world, scene, signed_in):
    leaflet = f.leaflet(world.a, scene.point, scene.edition)

    response = signed_in(world.a.lead).get(url(leaflet, "a4"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 1
    event = AuditEvent.objects.get(action="export", target_type="outreach.pointleaflet")
    assert event.details == {"layout": "a4", "format": "pdf"}


def test_others_and_unknown_layouts_get_404(world, scene, signed_in):
    leaflet = f.leaflet(world.a, scene.point, scene.edition)
    for user in (world.b.lead, world.a.handler, world.a.volunteer, world.a.police_liaison):
        assert signed_in(user).get(url(leaflet)).status_code == 404
    assert signed_in(world.a.lead).get(url(leaflet, "a3")).status_code == 404
    assert signed_in(world.a.admin).get(url(leaflet)).status_code == 200
