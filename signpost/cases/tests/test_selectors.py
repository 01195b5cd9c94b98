import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signpost.cases import selectors, services
from signpost.cases.tests.conftest import open_case
from signpost.core import crypto


def test_identifiers_matching_is_scoped_when_given_a_user(world, case, phone):
    outsider_case = open_case(world, region="b")
    services.identifier_add(
        case=outsider_case, kind="phone", value="+447700900982", by=world.b.investigator
    )
    index = crypto.blind_index("phone", "07700 900982")
    assert {i.case for i in selectors.identifiers_matching(indexes=[index])} == {
        case,
        outsider_case,
    }
    seen = selectors.identifiers_matching(indexes=[index], user=world.a.investigator)
    assert [identifier.case for identifier in seen] == [case]
    assert not selectors.identifiers_matching(indexes=[index], user=world.a.volunteer).exists()


def test_identifier_indexes_are_every_cases_across_regions(world, case, phone):
    outsider_case = open_case(world, region="b")
    services.identifier_add(
        case=outsider_case, kind="email", value="ana@example.com", by=world.b.investigator
    )
    assert selectors.identifier_indexes() == {
        crypto.blind_index("phone", "07700 900982"),
        crypto.blind_index("email", "ana@example.com"),
    }


def test_the_case_file_leaves_out_what_an_analyst_may_not_see(world, case, victim, phone):
    services.timeline_entry_add(case=case, text="Private", by=world.a.investigator)
    analyst_file = selectors.case_file(case=case, user=world.a.analyst)
    person = analyst_file.people[0]
    assert person.full_name == ""
    assert person.contact_details == ""
    assert analyst_file.timeline == []
    assert analyst_file.places == []
    assert [i.value for i in analyst_file.identifiers] == ["+447700900982"]
    full = selectors.case_file(case=case, user=world.a.investigator)
    assert full.people[0].full_name == "Ioana Popescu"


def add_bulk(world, case, count: int) -> None:
    for number in range(count):
        person = services.person_add(
            case=case, role="potential_victim", full_name=f"Person {number}", by=world.a.lead
        )
        services.identifier_add(
            case=case, kind="phone", value=f"07700 9{number:05d}", person=person, by=world.a.lead
        )
        services.place_add(case=case, kind="hotel", address=f"{number} Road", by=world.a.lead)
        services.timeline_entry_add(case=case, text=f"Note {number}", by=world.a.lead)
        services.task_add(case=case, title=f"Task {number}", assignee=world.a.lead, by=world.a.lead)
        record = services.nrm_consent_record(person=person, is_child=True, by=world.a.lead)
        assert record.pk
        linked = open_case(world)
        services.identifier_add(
            case=linked, kind="phone", value=f"07700 9{number:05d}", by=world.a.lead
        )


@pytest.mark.parametrize("role", ["investigator", "analyst"])
def test_case_page_queries_do_not_grow_with_the_case(world, signed_in, role):
    client = signed_in(world.a.users[role])
    counts = []
    for size in (1, 6):
        case = open_case(world)
        add_bulk(world, case, size)
        client.get(f"/staff/cases/{case.pk}/")  # memberships and session warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/staff/cases/{case.pk}/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_search_queries_do_not_grow_with_the_results(world, signed_in):
    client = signed_in(world.a.lead)
    client.post("/staff/cases/search/", {"term": "warm-up"})
    counts = []
    for copies in (1, 5):
        for _copy in range(copies):
            case = open_case(world)
            services.identifier_add(
                case=case, kind="email", value=f"ring{copies}@example.com", by=world.a.lead
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/staff/cases/search/", {"term": f"ring{copies}@example.com"})
        assert response.content.count(b"/staff/cases/") >= copies
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
