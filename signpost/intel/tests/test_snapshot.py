import pytest
from django.core.management import call_command
from django.urls import reverse

from signpost.cases import services as case_services
from signpost.core.models import AuditEvent
from signpost.core.roles import Role
from signpost.intel import graph, snapshot
from signpost.intel.models import NetworkSnapshot, SnapshotItem, SnapshotNetwork
from signpost.intel.services import network_snapshot_refresh
from signpost.intel.tasks import refresh_network_snapshot
from signpost.intel.tests import test_graph
from signpost.intel.tests.test_graph import SHARED_PHONE
from signpost.testing.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# The planted network of the live graph's tests, shared so that both are checked on one set.
planted = test_graph.planted


def _stored_rows(region):
    return [
        (network.rank, network.size, network.counts, sorted(network.items.values_list("node")))
        for network in SnapshotNetwork.objects.filter(snapshot__region=region)
    ]


def test_planted_network_is_found_whole_and_ranked_first(world, planted):
    stored = network_snapshot_refresh(region=world.a.region)
    first = stored.networks.get(rank=1)
    assert first.size == len(planted["expected"])
    assert sum(first.counts.values()) == first.size
    assert first.counts["case"] == 2 and first.counts["advert"] == 2
    nodes = set(first.items.values_list("node", flat=True))
    assert nodes <= planted["expected"]
    hub = graph.identifier_node("phone", planted_index(SHARED_PHONE))
    assert first.items.get(role="phone", position=0).node == hub
    # The lone case and its phone make a smaller network; the other region is not in it.
    assert f"case:{planted['outsider_case'].pk}" not in set(
        SnapshotItem.objects.filter(network__snapshot=stored).values_list("node", flat=True)
    )


def planted_index(value):
    from signpost.intel.tests.conftest import phone_index

    return phone_index(value)


def test_snapshot_holds_no_names_or_values(world, planted):
    network_snapshot_refresh(region=world.a.region)
    stored = " ".join(
        [
            *SnapshotItem.objects.values_list("node", flat=True),
            *(str(counts) for counts in SnapshotNetwork.objects.values_list("counts", flat=True)),
        ]
    )
    assert "Marius" not in stored and SHARED_PHONE not in stored
    assert not SnapshotItem.objects.filter(node__startswith="place:").exists()


def test_refresh_is_idempotent(world, planted):
    network_snapshot_refresh(region=world.a.region)
    before = _stored_rows(world.a.region)
    network_snapshot_refresh(region=world.a.region)
    assert _stored_rows(world.a.region) == before
    assert NetworkSnapshot.objects.filter(region=world.a.region).count() == 1
    assert AuditEvent.objects.filter(target_type="intel.networksnapshot").count() == 2


def test_command_and_task_refresh_every_region(world, planted):
    call_command("network_snapshot_refresh", verbosity=0)
    assert set(NetworkSnapshot.objects.values_list("region_id", flat=True)) >= {
        world.a.region.pk,
        world.b.region.pk,
    }
    assert refresh_network_snapshot.call(region_id=world.a.region.pk) >= 1


def _page(client):
    return client.get(reverse("intel:network"))


@pytest.fixture
def large(world, planted, settings):
    """Every view counts as too large to compute live, so the page reads the snapshot."""
    settings.INTEL_LIVE_GRAPH_LIMIT = 0
    network_snapshot_refresh(region=world.a.region)
    network_snapshot_refresh(region=world.b.region)
    return planted


def test_page_lists_the_snapshot_with_names_for_a_lead(world, large, signed_in):
    page = _page(signed_in(world.a.lead))
    body = page.content.decode()
    assert page.context["snapshot_at"] is not None
    first = page.context["summaries"][0]
    assert first.size == len(large["expected"])
    assert first.top_phones[0].label == SHARED_PHONE
    assert first.top_people[0].label.startswith("Marius Dumitru")
    assert first.seed in large["expected"]
    assert 'id="network-snapshot"' in body and "Marius Dumitru" in body


def test_analyst_sees_the_snapshot_without_names(world, large, signed_in):
    body = _page(signed_in(world.a.analyst)).content.decode()
    assert "Marius" not in body
    assert SHARED_PHONE in body


def test_investigator_sees_only_what_the_live_graph_shows_them(world, large, signed_in):
    # An investigator outside the team leads only their own case, which shares the phone: the
    # suspect of the team's case is counted as hidden, never shown, as the live graph leaves
    # him out.
    stranger = MembershipFactory(
        organisation=world.a.charity, role=Role.INVESTIGATOR, areas=world.a.areas, team=None
    ).user
    own = case_services.case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=stranger,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    case_services.identifier_add(case=own, kind="phone", value=SHARED_PHONE, by=world.a.lead)
    network_snapshot_refresh(region=world.a.region)
    visible = graph.build_graph(stranger)
    assert f"case:{large['first'].pk}" not in visible
    page = _page(signed_in(stranger))
    first = page.context["summaries"][0]
    assert first.size == len(large["expected"]) + 1
    assert first.hidden >= 1 and not first.top_people
    assert first.top_phones[0].label == SHARED_PHONE
    for summary in page.context["summaries"]:
        for item in [*summary.top_people, *summary.top_phones]:
            assert item.label == visible.nodes[item.node]["label"]
        assert not summary.seed or summary.seed in visible
    body = page.content.decode()
    assert "Marius" not in body and large["first"].reference not in body
    assert "you may not see" in body


def test_other_regions_outsider_sees_nothing_of_it(world, large, signed_in):
    page = _page(signed_in(world.b.lead))
    assert page.context["snapshot_at"] is not None
    assert "Marius" not in page.content.decode()
    # Region B's own case holds the same phone number: it lists its own small network only.
    (own,) = page.context["summaries"]
    assert own.seed == f"case:{large['outsider_case'].pk}"
    assert own.size == 2 and own.counts == {"case": 1, "phone": 1}
    for role in ("volunteer", "handler", "police_liaison", "admin"):
        assert _page(signed_in(getattr(world.b, role))).status_code == 404


def test_hidden_items_are_counted_not_shown(world, large):
    scope = graph.scope_for(world.b.lead)
    # Region B's viewer given region A's snapshot by mistake would still see none of it.
    shown = snapshot.shown_for(scope, {world.a.region.pk})
    assert shown is not None and shown.networks == []


def test_without_a_snapshot_the_page_says_to_start_from_a_record(
    world, planted, signed_in, settings
):
    settings.INTEL_LIVE_GRAPH_LIMIT = 1
    page = _page(signed_in(world.a.lead))
    assert page.context["too_large"]


def test_identifier_labels_are_the_live_graphs_for_every_viewer(world, large):
    # Labels of all identifier nodes are found together (a few queries for all of them): each
    # must be what the live graph shows that viewer, or absent where the live graph has none.
    stored = NetworkSnapshot.objects.get(region=world.a.region)
    nodes = {
        node
        for node in SnapshotItem.objects.filter(network__snapshot=stored).values_list(
            "node", flat=True
        )
        if node.partition(":")[0] in graph.IDENTIFIER_TYPES
    }
    shown_kinds = set()
    for viewer in (world.a.lead, world.a.analyst, world.a.investigator):
        scope = snapshot._within_region(graph.scope_for(viewer), world.a.region.pk)
        labels = snapshot._labels(scope, nodes)
        live = graph.build_graph(viewer)
        expected = {node: live.nodes[node]["label"] for node in nodes if node in live}
        assert labels == expected, viewer
        shown_kinds.update(labels.values())
    # Region B's lead sees the shared phone through their own case, but within region A's
    # snapshot nothing of theirs labels it.
    outside = snapshot._within_region(graph.scope_for(world.b.lead), world.a.region.pk)
    assert snapshot._labels(outside, nodes) == {}
    # The three ways an identifier is labelled were all exercised.
    assert SHARED_PHONE in shown_kinds
    assert (
        str(graph.SEEN_IN_ADVERTS["phone"]) in shown_kinds
        or str(graph.FROM_REFERRAL["phone"]) in shown_kinds
    )


def test_visibility_is_asked_in_slices_and_the_first_visible_row_wins():
    asked: list[set[int]] = []

    def visible(owners):
        asked.append(owners)
        return {owner for owner in owners if owner % 2}

    prefix = "a" * graph.INDEX_PREFIX
    rows = [(pk, pk, prefix + "0" * 44) for pk in range(graph.SCAN_LIMIT * 3)]
    rows += [(10**6 + pk, 10**6 + 2 * pk, "b" * 64) for pk in range(5)]  # even: none seen
    first = snapshot._first_seen(rows, visible)
    assert first == {prefix: 1}
    # SCAN_LIMIT rows a prefix are read, as the live graph reads; no slice is longer than that
    assert sum(len(owners) for owners in asked) == graph.SCAN_LIMIT + 5
    assert max(len(owners) for owners in asked) <= graph.SCAN_LIMIT
