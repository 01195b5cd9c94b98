"""Adding people, identifiers, places, notes, tasks, safeguarding and support, inline (htmx)
and without JavaScript."""

from signpost.cases.models import (
    Identifier,
    Person,
    Place,
    SafeguardingAction,
    SupportReferral,
    Task,
    TimelineEntry,
)
from signpost.core.crypto import blind_index
from signpost.core.models import AuditEvent, Organisation

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_htmx_gets_the_form_then_the_updated_section(world, signed_in, case):
    client = signed_in(world.a.investigator)
    form = client.get(f"/staff/cases/{case.pk}/people/", **HTMX)
    assert form.status_code == 200
    assert b'name="person-full_name"' in form.content
    assert b"<html" not in form.content
    response = client.post(
        f"/staff/cases/{case.pk}/people/",
        {
            "person-role": "potential_victim",
            "person-full_name": "Elena Rusu",
            "person-aliases": "Lena, Eli",
            "person-estimated_age": "19",
            "person-languages": "Romanian, English",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert b'id="case-people"' in response.content
    assert b"Elena Rusu" in response.content
    assert b'hx-swap-oob="true"' in response.content  # the NRM section learns of her
    person = Person.objects.get()
    assert person.aliases == ["Lena", "Eli"]
    assert person.languages == ["Romanian", "English"]
    assert AuditEvent.objects.filter(target_type="cases.person", action="create").exists()


def test_without_javascript_the_form_is_a_page_and_success_redirects(world, signed_in, case):
    client = signed_in(world.a.investigator)
    page = client.get(f"/staff/cases/{case.pk}/identifiers/")
    assert page.status_code == 200
    assert b"<html" in page.content
    assert b"hx-post" not in page.content
    response = client.post(
        f"/staff/cases/{case.pk}/identifiers/",
        {"identifier-kind": "phone", "identifier-value": "07700 900 456"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#case-identifiers")
    assert Identifier.objects.get().value == "+447700900456"


def test_errors_are_shown_in_the_section_and_nothing_is_saved(world, signed_in, case):
    client = signed_in(world.a.investigator)
    response = client.post(
        f"/staff/cases/{case.pk}/identifiers/",
        {"identifier-kind": "phone", "identifier-value": "not a number"},
        **HTMX,
    )
    assert response.status_code == 200
    assert b"Enter a phone number, like" in response.content
    assert b"govuk-error-summary" in response.content
    assert not Identifier.objects.exists()
    response = client.post(f"/staff/cases/{case.pk}/people/", {"person-role": "suspect"}, **HTMX)
    assert b"Enter a name or a description." in response.content
    assert not Person.objects.exists()


def test_every_section_can_be_added_to(world, signed_in, case, victim):
    provider = Organisation.objects.create(
        name="Safe Harbour", kind="support_provider", region=world.a.region
    )
    client = signed_in(world.a.investigator)
    posts = {
        "places": {
            "place-kind": "brothel",
            "place-address": "Flat 3, 40 Soho Road",
            "place-postcode": "b21 9ab",
            "place-latitude": "52.5",
            "place-longitude": "-1.93",
            "place-person": str(victim.pk),
        },
        "notes": {"note-kind": "note", "note-text": "Spoke to her at 23:10."},
        "tasks": {
            "task-title": "Book interpreter",
            "task-assignee": str(world.a.investigator.pk),
            "task-due_on": "2030-01-31",
        },
        "safeguarding": {"safeguarding-kind": "safety_plan", "safeguarding-person": victim.pk},
        "support": {"support-provider": provider.pk, "support-need": "accommodation"},
    }
    for path, data in posts.items():
        response = client.post(f"/staff/cases/{case.pk}/{path}/", data, **HTMX)
        assert response.status_code == 200, path
        assert b"govuk-error-summary" not in response.content, (path, response.content[:2000])
    assert Place.objects.get().postcode == "B21 9AB"
    assert TimelineEntry.objects.get().text == "Spoke to her at 23:10."
    task = Task.objects.get()
    assert SafeguardingAction.objects.get().person == victim
    assert SupportReferral.objects.get().provider == provider
    done = client.post(f"/staff/cases/{case.pk}/tasks/{task.pk}/done/", **HTMX)
    assert done.status_code == 200
    task.refresh_from_db()
    assert task.completed_at is not None


def test_who_may_not_edit_gets_a_404(world, signed_in, case):
    data = {"note-kind": "note", "note-text": "Should not be saved."}
    for user in [world.a.analyst, world.b.investigator, world.b.lead, world.a.volunteer]:
        response = signed_in(user).post(f"/staff/cases/{case.pk}/notes/", data)
        assert response.status_code == 404, user.email
    assert not TimelineEntry.objects.exists()


def test_an_identifier_entered_by_mistake_is_removed_and_stops_linking(world, signed_in, case):
    from signpost.cases.services import identifier_add
    from signpost.cases.tests.conftest import open_case

    other = open_case(world)
    identifier_add(case=other, kind="phone", value="07822 104259", by=world.a.investigator)
    wrong = identifier_add(case=case, kind="phone", value="07822 104259", by=world.a.investigator)
    url = f"/staff/cases/{case.pk}/identifiers/{wrong.pk}/remove/"
    page = signed_in(world.a.investigator).get(f"/staff/cases/{case.pk}/").content.decode()
    assert url in page
    for outsider in (world.b.investigator, world.a.analyst, world.a.handler):
        assert signed_in(outsider).post(url).status_code == 404
    assert Identifier.objects.filter(pk=wrong.pk).exists()
    response = signed_in(world.a.investigator).post(url, **HTMX)
    assert response.status_code == 200
    assert b'id="case-identifiers"' in response.content
    assert not Identifier.objects.filter(pk=wrong.pk).exists()
    event = AuditEvent.objects.get(target_type="cases.identifier", action="delete")
    assert event.details["kind"] == "phone" and "07822" not in str(event.details)
    linked = signed_in(world.a.investigator).get(f"/staff/cases/{other.pk}/").content.decode()
    assert "No other case you may see shares an identifier with this one." in linked
    # A second attempt finds nothing to remove.
    assert signed_in(world.a.investigator).post(url).status_code == 404


def test_a_persons_details_are_corrected_and_the_name_key_follows(world, signed_in, victim):
    case = victim.case
    url = f"/staff/cases/{case.pk}/people/{victim.pk}/"
    client = signed_in(world.a.investigator)
    page = client.get(url).content.decode()
    assert 'value="Ioana Popescu"' in page and 'value="Ana"' in page
    post = {
        "person-role": "potential_victim",
        "person-full_name": "Ioana Popesku",
        "person-aliases": "Ana, Oana",
        "person-estimated_age": "23",
        "person-nationality": "Romanian",
        "person-languages": "Romanian",
        "person-description": "Long dark hair, tattoo on wrist.",
        "person-contact_details": "Text only after 10pm: 07700 900123",
    }
    response = client.post(url, post)
    assert response.status_code == 302
    assert response["Location"].endswith("#case-people")
    victim.refresh_from_db()
    assert victim.full_name == "Ioana Popesku" and victim.aliases == ["Ana", "Oana"]
    assert victim.estimated_age == 23
    assert victim.name_index == blind_index("name", "popesku ioana")
    event = AuditEvent.objects.get(target_type="cases.person", action="update")
    assert event.details["fields"] == ["aliases", "estimated_age", "full_name"]
    assert "Popesku" not in str(event.details)


def test_a_bad_correction_is_refused_and_nothing_changes(world, signed_in, victim):
    url = f"/staff/cases/{victim.case.pk}/people/{victim.pk}/"
    response = signed_in(world.a.investigator).post(
        url,
        {
            "person-role": "potential_victim",
            "person-full_name": "",
            "person-date_of_birth_0": "1",
            "person-date_of_birth_1": "1",
            "person-date_of_birth_2": "2001",
            "person-estimated_age": "23",
        },
    )
    assert response.status_code == 200
    assert "Enter a name or a description." in response.content.decode()
    victim.refresh_from_db()
    assert victim.full_name == "Ioana Popescu"
    assert not AuditEvent.objects.filter(target_type="cases.person", action="update").exists()


def test_only_those_who_may_edit_the_case_correct_people(world, signed_in, victim):
    url = f"/staff/cases/{victim.case.pk}/people/{victim.pk}/"
    for user in (world.a.analyst, world.a.handler, world.b.investigator, world.b.lead):
        assert signed_in(user).get(url).status_code == 404
        assert signed_in(user).post(url, {"person-full_name": "X"}).status_code == 404
    other = f"/staff/cases/{victim.case.pk}/people/{victim.pk + 999}/"
    assert signed_in(world.a.investigator).get(other).status_code == 404


def test_a_place_is_corrected_and_audited_without_its_address(world, signed_in, victim):
    from signpost.cases.models import Place
    from signpost.cases.services import place_add

    case = victim.case
    place = place_add(
        case=case, kind="hotel", address="Room 12, Hotel", postcode="b5 4tr", by=world.a.lead
    )
    url = f"/staff/cases/{case.pk}/places/{place.pk}/"
    client = signed_in(world.a.investigator)
    assert 'value="B5 4TR"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "place-kind": "residence",
            "place-address": "Flat 3, 10 Hurst Street",
            "place-postcode": "B5 4TD",
            "place-person": str(victim.pk),
        },
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.kind, place.address, place.person) == (
        "residence",
        "Flat 3, 10 Hurst Street",
        victim,
    )
    event = AuditEvent.objects.get(target_type="cases.place", action="update")
    assert event.details["fields"] == ["address", "kind", "person_id", "postcode"]
    assert "Hurst" not in str(event.details)
    assert signed_in(world.b.lead).get(url).status_code == 404
    assert signed_in(world.a.analyst).get(url).status_code == 404
    assert Place.objects.get(pk=place.pk).address == "Flat 3, 10 Hurst Street"
