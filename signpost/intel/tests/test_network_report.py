import pytest
from django.urls import reverse

from signpost.intel import services
from signpost.intel.models import IntelReport
from signpost.intel.tests.conftest import REPORT_BODY, SUSPECT_NAME, graded

pytestmark = pytest.mark.django_db


def test_report_written_from_a_network_is_sanitised_with_its_cases(world, case_world, signed_in):
    seed = f"case:{case_world.case.pk}"
    client = signed_in(world.a.analyst)
    url = reverse("intel:report_new_network")
    form = client.post(url, {"seed": seed, "depth": "2", "start": "1"})
    assert form.status_code == 200 and "About a network" in form.content.decode()
    assert not IntelReport.objects.exists()
    client.post(
        url, {"seed": seed, "depth": "2", "title": "Network", "body": REPORT_BODY, **graded()}
    )
    report = IntelReport.objects.get()
    assert report.case is None and seed in report.network_nodes
    assert report.region == world.a.region
    report = services.report_sanitise(report=report, by=world.a.analyst)
    assert "Stefanescu" not in report.sanitised_body and SUSPECT_NAME in report.sanitised_body
    assert (
        signed_in(world.a.lead).get(reverse("intel:report_detail", args=[report.pk])).status_code
        == 200
    )
    assert (
        signed_in(world.a.investigator)
        .get(reverse("intel:report_detail", args=[report.pk]))
        .status_code
        == 404
    )


def test_network_report_from_an_unseen_seed_is_404(world, case_world, signed_in):
    response = signed_in(world.b.analyst).post(
        reverse("intel:report_new_network"),
        {"seed": f"case:{case_world.case.pk}", "depth": "2", "start": "1"},
    )
    assert response.status_code == 404
