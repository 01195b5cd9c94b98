from signpost.cases import services
from signpost.cases.tests.conftest import open_case
from signpost.core.roles import Role


def test_list_shows_only_cases_in_scope(world, signed_in, case):
    outsider_case = open_case(world, region="b")
    response = signed_in(world.a.investigator).get("/staff/cases/")
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert outsider_case.reference not in response.content.decode()
    assert b"Open a case" in response.content


def test_closed_cases_are_listed_on_request(world, signed_in, case):
    services.case_closure_request(
        case=case, outcome="no_trace", reason="Gone.", by=world.a.investigator
    )
    services.case_closure_approve(case=case, by=world.a.lead)
    client = signed_in(world.a.lead)
    assert case.reference not in client.get("/staff/cases/").content.decode()
    assert case.reference in client.get("/staff/cases/?closed=1").content.decode()


def test_roles_without_cases_do_not_get_the_list(world, signed_in):
    for role in [Role.VOLUNTEER, Role.POLICE_LIAISON, Role.ADMIN]:
        assert signed_in(world.a.users[role.value]).get("/staff/cases/").status_code == 404


def test_navigation_offers_cases_to_case_roles_only(world, signed_in):
    assert b"/staff/cases/search/" in signed_in(world.a.analyst).get("/staff/").content
    assert b"/staff/cases/" not in signed_in(world.a.volunteer).get("/staff/").content
