from signpost.cases import services
from signpost.core.models import AuditEvent
from signpost.core.roles import Role

NO_CASE_ROLES = [Role.VOLUNTEER, Role.POLICE_LIAISON, Role.ADMIN]


def url(case) -> str:
    return f"/staff/cases/{case.pk}/"


def test_investigator_sees_everything_and_the_view_is_audited(
    world, signed_in, case, victim, phone
):
    services.timeline_entry_add(
        case=case, text="Called the hotel manager.", by=world.a.investigator
    )
    response = signed_in(world.a.investigator).get(url(case))
    assert response.status_code == 200
    content = response.content.decode()
    for shown in [case.reference, "Ioana Popescu", "+447700900982", "Called the hotel manager."]:
        assert shown in content
    assert "Text only after 10pm" in content
    assert AuditEvent.objects.filter(
        action="view", target_type="cases.case", target_id=str(case.pk), actor=world.a.investigator
    ).exists()


def test_outsiders_and_roles_without_cases_get_a_404(world, signed_in, case):
    users = [world.b.users[role.value] for role in Role]
    users += [world.a.users[role.value] for role in NO_CASE_ROLES]
    users.append(world.a.handler)  # not assigned to this case
    for user in users:
        response = signed_in(user).get(url(case))
        assert response.status_code == 404, user.email
    assert AuditEvent.objects.filter(action="view", target_type="cases.case").count() == 0
    assert AuditEvent.objects.filter(action="access_denied").count() == len(users)


def test_unknown_case_is_a_404_like_a_forbidden_one(world, signed_in, case):
    assert signed_in(world.a.lead).get("/staff/cases/999999/").status_code == 404


def test_analyst_sees_identifiers_and_links_but_no_contact_details_or_notes(
    world, signed_in, case, victim, phone
):
    services.timeline_entry_add(case=case, text="Safe word is tulip.", by=world.a.investigator)
    services.place_add(
        case=case, kind="residence", address="12 Lozells Road", by=world.a.investigator
    )
    other = services.case_open(
        region=world.a.region,
        area=world.a.areas[1],
        lead_investigator=world.a.investigator,
        exploitation_types=["labour"],
        by=world.a.lead,
    )
    services.identifier_add(case=other, kind="phone", value="+447700900982", by=world.a.lead)
    response = signed_in(world.a.analyst).get(url(case))
    assert response.status_code == 200
    content = response.content.decode()
    assert "+447700900982" in content  # identifiers
    assert other.reference in content  # links
    assert "Potential victim" in content  # that someone is there, not who
    for hidden in [
        "Ioana",
        "Popescu",
        "Text only after 10pm",
        "tattoo",
        "Safe word is tulip",
        "Lozells",
        "Met outside a hotel",
    ]:
        assert hidden not in content, hidden
    assert "Add a person" not in content
    assert AuditEvent.objects.filter(action="view", actor=world.a.analyst).exists()


def test_assigned_handler_sees_the_case(world, signed_in, case):
    services.case_handler_assign(case=case, handler=world.a.handler, by=world.a.lead)
    assert signed_in(world.a.handler).get(url(case)).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get(url(case))
    assert response.status_code == 302


def test_case_page_links_to_writing_an_intelligence_report(world, signed_in):
    from signpost.cases.services import case_open

    case = case_open(
        region=world.a.region, area=world.a.areas[0], lead_investigator=world.a.investigator,
        exploitation_types=["sexual"], by=world.a.lead,
    )  # fmt: skip
    link = f"/staff/intel/reports/new/case/{case.pk}/"
    assert link in signed_in(world.a.investigator).get(f"/staff/cases/{case.pk}/").content.decode()
    assert signed_in(world.a.investigator).get(link).status_code == 200
