"""An intelligence report's page in Romanian, for staff who chose Romanian as their language."""

import pytest
from django.urls import reverse

from signpost.intel import services
from signpost.intel.tests.conftest import REPORT_BODY

pytestmark = pytest.mark.django_db


def test_report_page_is_in_romanian_for_a_romanian_speaking_investigator(
    world, case_world, signed_in
):
    investigator = world.a.investigator
    investigator.language = "ro"
    investigator.save(update_fields=["language"])
    report = services.report_create(
        by=investigator,
        case=case_world.case,
        title="Driver network",
        body=REPORT_BODY,
        source_grade="2",
        intelligence_grade="B",
        handling_code="P",
    )

    response = signed_in(investigator).get(reverse("intel:report_detail", args=[report.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Raport de informații" in content
    assert "Evaluarea sursei" in content
    assert "Anonimizează raportul" in content
    assert "Pașii următori" in content
    assert "2: Sursă neverificată" in content
    assert "Source evaluation" not in content
    assert "Next steps" not in content
