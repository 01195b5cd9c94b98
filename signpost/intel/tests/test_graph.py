import pytest
from django.urls import reverse

from signpost.adverts.models import Advert, AdvertGroup, AdvertIdentifier
from signpost.cases import services as case_services
from signpost.core.models import AuditEvent
from signpost.intel import graph
from signpost.intel.tests.conftest import make_referral, phone_index

pytestmark = pytest.mark.django_db

SHARED_PHONE = "+447700900500"
GROUP_PHONE = "+447700900600"
LONE_PHONE = "+447700900999"


def _case(world, region="a"):
    side = getattr(world, region)
    return case_services.case_open(
        region=side.region,
        area=side.areas[0],
        lead_investigator=side.investigator,
        exploitation_types=["sexual"],
        by=side.lead,
    )


def _advert(region, number, phone, group=None):
    advert = Advert.objects.create(
        region=region,
        source="test",
        external_id=f"ad-{number}",
        fingerprint=f"fp-{number}",
        group=group,
    )
    AdvertIdentifier.objects.create(
        advert=advert, region=region, kind="phone", value_index=phone_index(phone)
    )
    return advert


@pytest.fixture
def planted(world):
    """Two cases joined by a shared phone, an advert group whose adverts carry that phone and
    another, and a referral that gave the other phone; plus a case that touches nothing."""
    first, second, lone = _case(world), _case(world), _case(world)
    pimp = case_services.person_add(
        case=first, role="suspect", full_name="Marius Dumitru", by=world.a.investigator
    )
    case_services.identifier_add(
        case=first, kind="phone", value=SHARED_PHONE, person=pimp, by=world.a.investigator
    )
    case_services.identifier_add(
        case=second, kind="phone", value=SHARED_PHONE, by=world.a.investigator
    )
    case_services.identifier_add(case=lone, kind="phone", value=LONE_PHONE, by=world.a.investigator)
    group = AdvertGroup.objects.create(region=world.a.region)
    adverts = [
        _advert(world.a.region, 1, SHARED_PHONE, group),
        _advert(world.a.region, 2, GROUP_PHONE, group),
    ]
    referral = make_referral(world, phone_index=phone_index(GROUP_PHONE))
    outsider_case = _case(world, "b")
    case_services.identifier_add(
        case=outsider_case, kind="phone", value=SHARED_PHONE, by=world.b.investigator
    )
    expected = {
        f"case:{first.pk}",
        f"case:{second.pk}",
        f"person:{pimp.pk}",
        graph.identifier_node("phone", phone_index(SHARED_PHONE)),
        graph.identifier_node("phone", phone_index(GROUP_PHONE)),
        f"group:{group.pk}",
        *(f"advert:{advert.pk}" for advert in adverts),
        f"referral:{referral.pk}",
    }
    return {
        "expected": expected,
        "lone": lone,
        "first": first,
        "group": group,
        "outsider_case": outsider_case,
    }


def test_planted_network_is_found_whole(world, planted):
    whole = graph.build_graph(world.a.lead)
    network = graph.network_of(whole, f"case:{planted['first'].pk}")
    assert network == planted["expected"]
    assert f"case:{planted['lone'].pk}" not in network
    largest = graph.largest_networks(whole)[0]
    assert largest.size == len(planted["expected"])
    assert largest.top_phones[0]["label"] == SHARED_PHONE
    assert largest.top_people[0]["label"].startswith("Marius Dumitru")


def test_other_region_is_invisible(world, planted):
    whole = graph.build_graph(world.b.lead)
    assert f"case:{planted['first'].pk}" not in whole
    assert f"case:{planted['outsider_case'].pk}" in whole
    assert f"advert:{Advert.objects.filter(region=world.a.region).first().pk}" not in whole


def test_analyst_sees_links_but_no_names(world, planted):
    whole = graph.build_graph(world.a.analyst)
    labels = [data["label"] for _node, data in whole.nodes(data=True)]
    assert not any("Marius" in label for label in labels)
    assert graph.network_of(whole, f"case:{planted['first'].pk}") == planted["expected"]


def test_investigator_sees_own_cases_and_adverts_touching_them(world, planted):
    whole = graph.build_graph(world.a.investigator)
    assert f"case:{planted['first'].pk}" in whole
    assert f"group:{planted['group'].pk}" in whole


def test_network_page_expands_from_a_phone_by_post(world, planted, signed_in):
    client = signed_in(world.a.analyst)
    page = client.get(reverse("intel:network"))
    assert page.status_code == 200
    assert 'id="network-elements"' in page.content.decode()
    response = client.post(
        reverse("intel:network"), {"seed_kind": "phone", "phone": "07700 900600", "depth": "1"}
    )
    body = response.content.decode()
    assert f"Advert {Advert.objects.get(external_id='ad-2').public_id}" in body
    assert planted["lone"].reference not in body
    event = AuditEvent.objects.filter(actor=world.a.analyst, target_type="intel.network").last()
    assert "07700" not in str(event.details)


def test_network_page_filters_by_type(world, planted, signed_in):
    client = signed_in(world.a.lead)
    response = client.post(
        reverse("intel:network"),
        {
            "seed_kind": "group",
            "group": planted["group"].public_id,
            "depth": "4",
            "types": ["case"],
        },
    )
    rows = response.context["rows"]
    assert rows and {row["type"] for row in rows} == {"Cases"}


def test_network_page_access(world, signed_in):
    for region in ("a", "b"):
        side = getattr(world, region)
        for role in ("volunteer", "handler", "police_liaison", "admin"):
            user = getattr(side, role)
            assert signed_in(user).get(reverse("intel:network")).status_code == 404, role


@pytest.mark.parametrize("role", ["lead", "analyst", "investigator"])
def test_expanding_from_a_case_finds_what_the_whole_graph_holds(world, planted, role):
    user = getattr(world.a, role)
    seed = f"case:{planted['first'].pk}"
    whole = graph.build_graph(user)
    for depth in (1, 2, 4):
        expanded = graph.expand(user, seed, depth=depth)
        assert set(expanded.graph.nodes) == set(graph.neighbourhood(whole, seed, depth).nodes)
        assert not expanded.capped and not expanded.truncated
    labels = {
        node: data["label"]
        for node, data in graph.expand(user, seed, depth=4).graph.nodes(data=True)
    }
    assert labels == {node: whole.nodes[node]["label"] for node in labels}


def test_expanding_never_crosses_into_another_region(world, planted):
    assert not graph.expand(world.b.lead, f"case:{planted['first'].pk}", depth=3).graph
    reached = graph.expand(world.b.lead, f"case:{planted['outsider_case'].pk}", depth=4).graph
    assert f"case:{planted['first'].pk}" not in reached
    assert not any(node.startswith("advert:") for node in reached)


def test_hub_phone_is_capped_and_the_page_says_so(world, planted, signed_in):
    for number in range(100, 100 + graph.MAX_NEIGHBOURS + 5):
        _advert(world.a.region, number, SHARED_PHONE)
    hub = graph.identifier_node("phone", phone_index(SHARED_PHONE))
    expanded = graph.expand(world.a.lead, f"case:{planted['first'].pk}", depth=3)
    adverts = [node for node in expanded.graph.neighbors(hub) if node.startswith("advert:")]
    assert len(adverts) == graph.MAX_NEIGHBOURS
    assert [(item.node, item.found) for item in expanded.capped] == [
        (hub, graph.MAX_NEIGHBOURS + 6)
    ]
    small = graph.expand(world.a.lead, f"case:{planted['first'].pk}", depth=3, max_nodes=5)
    assert small.truncated and small.graph.number_of_nodes() == 5
    response = signed_in(world.a.lead).post(
        reverse("intel:network"),
        {"seed_kind": "case", "case": planted["first"].reference, "depth": "3"},
    )
    body = response.content.decode()
    assert 'id="network-capped"' in body
    assert f"{graph.MAX_NEIGHBOURS} of {graph.MAX_NEIGHBOURS + 6} links shown" in body


def test_time_range_keeps_records_dated_within_it(world, planted):
    import datetime

    from django.utils import timezone

    today = timezone.now().date()
    future = today + datetime.timedelta(days=30)
    seed = f"case:{planted['first'].pk}"
    within = graph.build_graph(world.a.lead, since=today - datetime.timedelta(days=1))
    assert seed in within
    later = graph.build_graph(world.a.lead, since=future)
    assert seed not in later
    # Adverts without a posting date stay in any range.
    assert {node for node in later if node.startswith("advert:")} == {
        f"advert:{advert.pk}" for advert in Advert.objects.filter(region=world.a.region)
    }
    assert not graph.expand(world.a.lead, seed, depth=2, since=future).graph


def test_largest_networks_are_not_computed_live_for_a_very_large_view(
    world, planted, signed_in, settings
):
    settings.INTEL_LIVE_GRAPH_LIMIT = 4
    client = signed_in(world.a.lead)
    page = client.get(reverse("intel:network"))
    assert page.context["too_large"] and not page.context["summaries"]
    assert "too many records in your view" in page.content.decode()
    # Starting from a case still works at any size.
    response = client.post(
        reverse("intel:network"),
        {"seed_kind": "case", "case": planted["first"].reference, "depth": "2"},
    )
    assert response.context["shown_count"] > 1
    settings.INTEL_LIVE_GRAPH_LIMIT = 1000
    assert signed_in(world.a.lead).get(reverse("intel:network")).context["summaries"]
