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


def test_grading_choices_are_in_the_readers_language(world, case_world, signed_in):
    investigator = world.a.investigator
    report = services.report_create(
        by=investigator,
        case=case_world.case,
        title="Driver network",
        body=REPORT_BODY,
    )
    url = reverse("intel:report_edit", args=[report.pk])
    english = signed_in(investigator).get(url).content.decode()
    investigator.language = "ro"
    investigator.save(update_fields=["language"])
    romanian = signed_in(investigator).get(url).content.decode()
    assert "2: Sursă neverificată" in romanian
    assert "2: Sursă neverificată" not in english


def test_masks_are_written_in_the_sites_language_whatever_the_authors(db):
    from django.utils import translation

    from signpost.intel import sanitise
    from signpost.intel.sanitise import SensitiveTerm

    terms = [SensitiveTerm("victim_name", "text", "Ioana Ștefănescu")]
    with translation.override("ro"):
        masked = sanitise.mask("Seen: Ioana Ștefănescu.", terms)
    assert masked.text == "Seen: [victim withheld]."
