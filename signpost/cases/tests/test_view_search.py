from signpost.cases import services
from signpost.cases.tests.conftest import open_case
from signpost.core.models import AuditEvent
from signpost.core.roles import Role

SEARCH = "/staff/cases/search/"


def test_search_finds_an_identifier_typed_differently(world, signed_in, case, phone):
    response = signed_in(world.a.investigator).post(SEARCH, {"term": "+44 7700 900 982"})
    assert response.status_code == 200
    content = response.content.decode()
    assert case.reference in content
    assert "+447700900982" in content


def test_search_by_case_reference_and_referral_reference(world, signed_in, case):
    from signpost.referrals.models import Referral, new_reference

    referral = Referral.objects.create(
        reference=new_reference(), source="agency", region=world.a.region, area=world.a.areas[0]
    )
    lead = signed_in(world.a.lead)
    assert case.reference in lead.post(SEARCH, {"term": case.reference.lower()}).content.decode()
    assert referral.reference in lead.post(SEARCH, {"term": referral.reference}).content.decode()
    outsider = signed_in(world.b.lead).post(SEARCH, {"term": referral.reference})
    assert b"Nothing matches in what you may see." in outsider.content


def test_search_is_scoped_to_what_the_user_may_see(world, signed_in, case, phone):
    outsider_case = open_case(world, region="b")
    services.identifier_add(
        case=outsider_case, kind="phone", value="07700900982", by=world.b.investigator
    )
    content = signed_in(world.b.investigator).post(SEARCH, {"term": "07700900982"}).content
    assert outsider_case.reference.encode() in content
    assert case.reference.encode() not in content


def test_search_terms_never_travel_in_the_url_or_the_audit(world, signed_in, phone):
    client = signed_in(world.a.investigator)
    response = client.get(SEARCH, {"term": "07700900982"})
    assert response.status_code == 200
    assert b"+447700900982" not in response.content  # a GET never searches
    client.post(SEARCH, {"term": "07700900982"})
    event = AuditEvent.objects.get(target_type="cases.search")
    assert event.details == {"results": 1}
    assert "7700" not in str(event.details)


def test_empty_search_gets_a_message(world, signed_in):
    response = signed_in(world.a.investigator).post(SEARCH, {"term": ""})
    assert b"Enter a reference or an identifier." in response.content


def test_roles_without_cases_cannot_search(world, signed_in):
    for role in [Role.VOLUNTEER, Role.POLICE_LIAISON, Role.ADMIN]:
        response = signed_in(world.a.users[role.value]).post(SEARCH, {"term": "x"})
        assert response.status_code == 404
