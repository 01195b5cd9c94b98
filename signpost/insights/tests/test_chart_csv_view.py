from __future__ import annotations

import csv
import io

import pytest

from signpost.core.models import AuditEvent
from signpost.insights import services
from signpost.insights.tests import helpers


@pytest.mark.django_db
def test_chart_csv_has_the_table_and_is_audited(world, signed_in) -> None:
    helpers.referrals(world.a, 6, at=helpers.moment(2025, 11, 3))
    services.summaries_refresh(region=world.a.region)
    response = signed_in(world.a.lead).get(
        "/staff/insights/csv/referrals-by-area/", {"quarter": "2025-4"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Area", "Referrals"], ["Birmingham", "6"], ["Coventry", "0"]]
    event = AuditEvent.objects.get(target_type="insights.chart", target_id="referrals-by-area")
    assert event.action == "export"
    assert event.details["start"] == "2025-10"


@pytest.mark.django_db
def test_a_chart_outside_the_role_is_404(world, signed_in) -> None:
    investigator = signed_in(world.a.investigator)
    assert investigator.get("/staff/insights/csv/referrals-by-area/").status_code == 404
    assert signed_in(world.a.analyst).get("/staff/insights/csv/caseload/").status_code == 404
    assert signed_in(world.a.lead).get("/staff/insights/csv/no-such-chart/").status_code == 404
    assert signed_in(world.b.volunteer).get("/staff/insights/csv/caseload/").status_code == 404


@pytest.mark.django_db
def test_text_from_other_apps_cannot_become_a_formula(world, signed_in) -> None:
    from signpost.outreach.tests import factories

    edition = factories.edition(world.a, name='=HYPERLINK("http://evil")')
    factories.point(world.a, name="+Hurst Street")
    response = signed_in(world.a.lead).get("/staff/insights/csv/outreach-editions/")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert edition.name in text.replace("'=", "=").replace('""', '"')
