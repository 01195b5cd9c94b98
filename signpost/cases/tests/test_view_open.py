from signpost.cases.models import Case
from signpost.core.roles import Role


def test_investigator_opens_a_case(world, signed_in):
    client = signed_in(world.a.investigator)
    assert client.get("/staff/cases/new/").status_code == 200
    response = client.post(
        "/staff/cases/new/",
        {
            "area": world.a.areas[0].pk,
            "lead_investigator": world.a.investigator.pk,
            "exploitation_types": ["sexual", "criminal"],
            "summary": "Two women seen at a car wash.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.pk}/"
    assert case.exploitation_types == ["sexual", "criminal"]


def test_bad_input_is_refused_with_messages_and_nothing_saved(world, signed_in):
    response = signed_in(world.a.investigator).post(
        "/staff/cases/new/", {"area": world.b.areas[0].pk, "lead_investigator": ""}
    )
    assert response.status_code == 200
    assert b"Choose the area." in response.content
    assert b"Choose at least one type of exploitation." in response.content
    assert not Case.objects.exists()


def test_only_investigators_and_leads_open_cases(world, signed_in):
    for role in [Role.HANDLER, Role.ANALYST, Role.VOLUNTEER, Role.ADMIN]:
        assert signed_in(world.a.users[role.value]).get("/staff/cases/new/").status_code == 404
