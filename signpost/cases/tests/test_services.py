import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from signpost.cases import services
from signpost.cases.models import Case, CaseStatus, Identifier
from signpost.core import crypto


@pytest.fixture
def case(world):
    return services.case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=world.a.investigator,
        exploitation_types=["sexual"],
        by=world.a.investigator,
    )


def test_reference_is_sequential_per_year(world, case):
    second = services.case_open(
        region=world.a.region,
        area=world.a.areas[1],
        lead_investigator=world.a.investigator,
        exploitation_types=["labour"],
        by=world.a.lead,
    )
    year = timezone.localdate().year
    assert case.reference == f"SP-{year}-00001"
    assert second.reference == f"SP-{year}-00002"
    assert case.team == world.a.team


def test_identifier_phone_is_normalised_and_indexed(world, case):
    identifier = services.identifier_add(
        case=case, kind="phone", value="07700 900982", by=world.a.investigator
    )
    identifier.refresh_from_db()
    assert identifier.value == "+447700900982"
    assert identifier.value_index == crypto.blind_index("phone", "+44 7700 900982")
    with pytest.raises(ValidationError):
        services.identifier_add(case=case, kind="phone", value="+447700900982", by=world.a.lead)
    assert Identifier.objects.count() == 1
    assert Case.objects.get().status == CaseStatus.OPEN
