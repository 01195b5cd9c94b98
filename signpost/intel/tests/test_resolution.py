import datetime

import pytest
from django.urls import reverse

from signpost.cases import services as case_services
from signpost.core.models import AuditEvent
from signpost.intel import graph, matching, resolution
from signpost.intel.models import MatchCandidate, MatchStatus, ResolvedMember
from signpost.intel.tests.conftest import VICTIM_PHONE, make_referral, phone_index

pytestmark = pytest.mark.django_db


def test_matching_handles_diacritics_nicknames_swaps_and_ages():
    on = datetime.date(2026, 6, 1)
    records = [
        matching.prepare(
            key="person:1",
            full_name="Ioana Ștefănescu",
            date_of_birth="2001-04-02",
            postcode="B6 5AA",
            nationality="Romanian",
            on=on,
        ),
        matching.prepare(
            key="person:2",
            full_name="Ioni Stefanescu",
            age=25,
            postcode="B6 7XX",
            nationality="romanian",
            on=on,
        ),
        matching.prepare(
            key="person:3", full_name="Stefanescu Ioana", date_of_birth="2001-04-02", on=on
        ),
        matching.prepare(
            key="person:4",
            full_name="Maria Popescu",
            date_of_birth="1972-11-05",
            postcode="NG1 1AA",
            on=on,
        ),
        matching.prepare(
            key="person:5",
            full_name="Elena Popescu",
            date_of_birth="1999-03-03",
            postcode="CV1 2BB",
            on=on,
        ),
    ]
    pairs = {(m.left, m.right): m for m in matching.predict(records, threshold_weight=4)}
    assert ("person:1", "person:3") in pairs
    assert ("person:1", "person:2") in pairs
    assert "same_date_of_birth" in pairs[("person:1", "person:3")].reasons
    assert ("person:4", "person:5") not in pairs


def _people(world):
    case_a = case_services.case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=world.a.investigator,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    case_b = case_services.case_open(
        region=world.a.region,
        area=world.a.areas[1],
        lead_investigator=world.a.investigator,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    first = case_services.person_add(
        case=case_a,
        role="potential_victim",
        full_name="Ioana Ștefănescu",
        date_of_birth=datetime.date(2001, 4, 2),
        nationality="Romanian",
        by=world.a.investigator,
    )
    second = case_services.person_add(
        case=case_b,
        role="potential_victim",
        full_name="Stefanescu Ioana",
        date_of_birth=datetime.date(2001, 4, 2),
        nationality="Romanian",
        by=world.a.investigator,
    )
    other = case_services.person_add(
        case=case_b, role="suspect", full_name="Marius Dumitru", by=world.a.investigator
    )
    case_services.identifier_add(
        case=case_a, kind="phone", value=VICTIM_PHONE, person=first, by=world.a.investigator
    )
    referral = make_referral(world, phone_index=phone_index(VICTIM_PHONE))
    return first, second, other, referral


def test_run_proposes_exact_and_probabilistic_matches(world):
    first, second, other, referral = _people(world)
    result = resolution.resolution_run(region=world.a.region, by=world.a.lead)
    assert result.proposed == 2
    probabilistic = MatchCandidate.objects.get(
        left_key=f"person:{first.pk}", right_key=f"person:{second.pk}"
    )
    assert not probabilistic.exact and probabilistic.match_weight > 4
    exact = MatchCandidate.objects.get(exact=True)
    assert {exact.left_key, exact.right_key} == {f"person:{first.pk}", f"referral:{referral.pk}"}
    assert exact.reasons[0] == "same_phone"
    assert (
        not MatchCandidate.objects.filter(left_key__contains=str(other.pk), exact=False)
        .filter(right_key=f"person:{other.pk}")
        .exists()
    )
    assert not MatchCandidate.objects.filter(region=world.b.region).exists()


def test_confirm_merges_audited_and_split_undoes(world, signed_in):
    first, second, _other, _referral = _people(world)
    resolution.resolution_run(region=world.a.region)
    candidate = MatchCandidate.objects.get(exact=False)
    lead = signed_in(world.a.lead)
    queue = lead.get(reverse("intel:match_queue")).content.decode()
    assert "Ioana" in queue and "Same date of birth" in queue
    lead.post(reverse("intel:match_decide", args=[candidate.pk]), {"decision": "confirm"})
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.CONFIRMED
    assert AuditEvent.objects.filter(
        action="update", target_type="intel.matchcandidate", details__decision="confirm"
    ).exists()
    whole = graph.build_graph(world.a.lead)
    assert whole.has_edge(f"person:{first.pk}", f"person:{second.pk}")
    walked = graph.expand(world.a.lead, f"person:{first.pk}", depth=1).graph
    assert walked.has_edge(f"person:{first.pk}", f"person:{second.pk}")
    member = ResolvedMember.objects.get(record_key=f"person:{second.pk}")
    lead.post(reverse("intel:resolved_split", args=[member.pk]))
    assert not ResolvedMember.objects.exists()
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.SPLIT
    resolution.resolution_run(region=world.a.region)
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.SPLIT


def test_analyst_reviews_without_names_and_others_get_404(world, signed_in):
    _people(world)
    resolution.resolution_run(region=world.a.region)
    candidate = MatchCandidate.objects.get(exact=False)
    analyst_page = signed_in(world.a.analyst).get(reverse("intel:match_queue")).content.decode()
    assert "Ioana" not in analyst_page and "Same date of birth" in analyst_page
    for user in (
        world.a.investigator,
        world.a.handler,
        world.a.police_liaison,
        world.a.admin,
        world.b.lead,
        world.b.analyst,
    ):
        client = signed_in(user)
        assert client.get(reverse("intel:match_decide", args=[candidate.pk])).status_code == 404
        client.post(reverse("intel:match_decide", args=[candidate.pk]), {"decision": "confirm"})
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.PROPOSED
