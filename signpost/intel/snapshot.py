"""The largest networks of a region, computed ahead of time and shown within each viewer's scope.

A region with a million adverts makes a graph of about two million items: building it as
networkx objects and ranking it took over a minute, too long for a page. The periodic job reads
plain value lists (no model instances), finds the networks with a union-find over integer node
numbers, ranks people and phones by degree (links), and keeps only node ids and kinds. Small
networks (up to BETWEENNESS_LIMIT items) also get networkx betweenness as a tie-break.

Labels are filled when a page is shown, through the same scope as the live graph
(`graph.scope_for`): what the viewer may not see is counted, never shown.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from signpost.adverts.models import Advert, AdvertGroup, AdvertIdentifier
from signpost.cases.models import Case, Identifier, Person, Place
from signpost.core.models import Region
from signpost.intel import graph
from signpost.intel.models import (
    NetworkSnapshot,
    ResolvedMember,
    SnapshotItem,
    SnapshotItemRole,
    SnapshotNetwork,
)
from signpost.referrals.models import Referral

NETWORKS_KEPT = 10
TOP_KEPT = 10
STARTS_KEPT = 20
BETWEENNESS_LIMIT = 600
RECORD_KINDS = ("case", "advert", "group", "referral")
# Kinds whose node ids may be stored: never places (their key is a plaintext postcode).
STORABLE_KINDS = {"case", "person", "advert", "group", "referral", *graph.IDENTIFIER_TYPES}
# Identifier nodes whose holders one query reads: a UNION ALL of this many SELECTs stays
# below SQLite's limit on a compound statement (500).
PREFIXES_PER_QUERY = 200


class _Builder:
    """Integer-numbered nodes, an edge list and a union-find over them."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}
        self.names: list[str] = []
        self.parent: list[int] = []
        self.degree: list[int] = []
        self.edges: list[tuple[int, int]] = []

    def node(self, name: str) -> int:
        found = self.number.get(name)
        if found is None:
            found = len(self.names)
            self.number[name] = found
            self.names.append(name)
            self.parent.append(found)
            self.degree.append(0)
        return found

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def link(self, left_name: str, right_name: str) -> None:
        left, right = self.node(left_name), self.node(right_name)
        if left == right:
            return
        self.edges.append((left, right))
        self.degree[left] += 1
        self.degree[right] += 1
        left_root, right_root = self.find(left), self.find(right)
        if left_root != right_root:
            self.parent[left_root] = right_root


def _region_graph(region: Region) -> _Builder:
    """The region's whole graph, as the live graph joins it for a lead (every record)."""
    built = _Builder()
    node, link = built.node, built.link
    cases = Case.objects.filter(region=region).order_by()
    for pk in cases.values_list("pk", flat=True).iterator(chunk_size=20_000):
        node(f"case:{pk}")
    for pk, case_id in (
        Person.objects.filter(case__region=region)
        .order_by()
        .values_list("pk", "case_id")
        .iterator(chunk_size=20_000)
    ):
        link(f"case:{case_id}", f"person:{pk}")
    prefix = graph.INDEX_PREFIX
    for case_id, person_id, kind, value_index in (
        Identifier.objects.filter(case__region=region)
        .order_by()
        .values_list("case_id", "person_id", "kind", "value_index")
        .iterator(chunk_size=20_000)
    ):
        owner = f"person:{person_id}" if person_id else f"case:{case_id}"
        link(owner, f"{kind}:{value_index[:prefix]}")
    for pk, case_id, person_id, postcode in (
        Place.objects.filter(case__region=region)
        .order_by()
        .values_list("pk", "case_id", "person_id", "postcode")
        .iterator(chunk_size=20_000)
    ):
        place = f"place:{postcode.replace(' ', '')}" if postcode else f"place:p{pk}"
        link(f"person:{person_id}" if person_id else f"case:{case_id}", place)
    for pk, group_id in (
        Advert.objects.filter(region=region)
        .order_by()
        .values_list("pk", "group_id")
        .iterator(chunk_size=50_000)
    ):
        if group_id:
            link(f"advert:{pk}", f"group:{group_id}")
        else:
            node(f"advert:{pk}")
    for advert_id, kind, value_index in (
        AdvertIdentifier.objects.filter(region=region)
        .order_by()
        .values_list("advert_id", "kind", "value_index")
        .iterator(chunk_size=50_000)
    ):
        link(f"advert:{advert_id}", f"{kind}:{value_index[:prefix]}")
    for pk, phone_index, email_index in (
        Referral.objects.filter(region=region)
        .order_by()
        .values_list("pk", "phone_index", "email_index")
        .iterator(chunk_size=20_000)
    ):
        name = f"referral:{pk}"
        node(name)
        if phone_index:
            link(name, f"phone:{phone_index[:prefix]}")
        if email_index:
            link(name, f"email:{email_index[:prefix]}")
    members: dict[int, list[str]] = {}
    for resolved_id, key in ResolvedMember.objects.filter(resolved__region=region).values_list(
        "resolved_id", "record_key"
    ):
        if key in built.number:
            members.setdefault(resolved_id, []).append(key)
    for keys in members.values():
        for left, right in itertools.pairwise(keys):
            link(left, right)
    return built


@dataclass
class _Ranked:
    size: int
    counts: dict[str, int]
    items: list[tuple[str, int, str, int, float]] = field(default_factory=list)


def _kind(name: str) -> str:
    return name.partition(":")[0]


def _rank(built: _Builder) -> list[_Ranked]:
    find = built.find
    roots = [find(item) for item in range(len(built.names))]
    sizes = Counter(roots)
    chosen: list[int] = []
    members: dict[int, list[int]] = {}
    # Largest first; a network needs two items and at least one record (as the live list).
    for root, size in sorted(sizes.items(), key=lambda pair: (-pair[1], pair[0])):
        if size < 2:
            break
        chosen.append(root)
        members[root] = []
        if len(chosen) >= NETWORKS_KEPT * 2:
            break
    for item, root in enumerate(roots):
        bucket = members.get(root)
        if bucket is not None:
            bucket.append(item)
    small_edges: dict[int, list[tuple[int, int]]] = {
        root: [] for root in chosen if len(members[root]) <= BETWEENNESS_LIMIT
    }
    if small_edges:
        for edge in built.edges:
            edges_of = small_edges.get(roots[edge[0]])
            if edges_of is not None:
                edges_of.append(edge)
    ranked: list[_Ranked] = []
    for root in chosen:
        items = members[root]
        counts = Counter(_kind(built.names[item]) for item in items)
        if not set(RECORD_KINDS) & set(counts):
            continue
        betweenness: dict[int, float] = {}
        if root in small_edges:
            small = nx.Graph()
            small.add_nodes_from(items)
            small.add_edges_from(small_edges[root])
            betweenness = nx.betweenness_centrality(small)
        entry = _Ranked(size=len(items), counts=dict(counts))
        for role, kinds, limit in (
            (SnapshotItemRole.PERSON, {"person"}, TOP_KEPT),
            (SnapshotItemRole.PHONE, {"phone"}, TOP_KEPT),
            (SnapshotItemRole.START, set(RECORD_KINDS), STARTS_KEPT),
        ):
            candidates = [item for item in items if _kind(built.names[item]) in kinds]
            candidates.sort(
                key=lambda item: (
                    -built.degree[item],
                    -betweenness.get(item, 0.0),
                    built.names[item],
                )
            )
            for position, item in enumerate(candidates[:limit]):
                entry.items.append(
                    (
                        role,
                        position,
                        built.names[item],
                        built.degree[item],
                        round(betweenness.get(item, 0.0), 3),
                    )
                )
        ranked.append(entry)
        if len(ranked) >= NETWORKS_KEPT:
            break
    return ranked


def compute(region: Region) -> tuple[list[_Ranked], int, int]:
    """The ranked networks of the region, its item count and its link count."""
    built = _region_graph(region)
    return _rank(built), len(built.names), len(built.edges)


def store(
    region: Region, ranked: list[_Ranked], items: int, links: int, seconds: float
) -> NetworkSnapshot:
    """Replace the region's snapshot (call inside a transaction)."""
    from django.utils import timezone

    snapshot, _created = NetworkSnapshot.objects.update_or_create(
        region=region,
        defaults={
            "computed_at": timezone.now(),
            "seconds": seconds,
            "item_count": items,
            "link_count": links,
        },
    )
    snapshot.networks.all().delete()
    for rank, entry in enumerate(ranked, start=1):
        network = SnapshotNetwork.objects.create(
            snapshot=snapshot, rank=rank, size=entry.size, counts=entry.counts
        )
        SnapshotItem.objects.bulk_create(
            [
                SnapshotItem(
                    network=network,
                    role=role,
                    position=position,
                    node=name,
                    degree=degree,
                    betweenness=betweenness,
                )
                for role, position, name, degree, betweenness in entry.items
                if _kind(name) in STORABLE_KINDS
            ]
        )
    return snapshot


def timed_compute(region: Region) -> tuple[list[_Ranked], int, int, float]:
    started = time.monotonic()
    ranked, items, links = compute(region)
    return ranked, items, links, time.monotonic() - started


# --- Showing a snapshot to one viewer ------------------------------------------------------------


@dataclass
class ShownItem:
    node: str
    label: str
    degree: int


@dataclass
class ShownNetwork:
    rank: int
    size: int
    counts: dict[str, int]
    seed: str
    top_people: list[ShownItem]
    top_phones: list[ShownItem]
    # Stored most-connected items that this viewer may not see: counted, never shown.
    hidden: int


@dataclass
class ShownSnapshot:
    computed_at: Any
    networks: list[ShownNetwork]


def _labels(scope: graph.Scope, nodes: set[str]) -> dict[str, str]:
    """Labels of the nodes the viewer may see, by the live graph's rules; others are absent."""
    by_kind: dict[str, set[str]] = {}
    for node in nodes:
        kind, _sep, key = node.partition(":")
        by_kind.setdefault(kind, set()).add(key)

    def pks(kind: str) -> set[int]:
        return {int(key) for key in by_kind.get(kind, set()) if key.isdigit()}

    labels: dict[str, str] = {}
    cases = scope.cases
    for pk, reference in cases.filter(pk__in=pks("case")).values_list("pk", "reference"):
        labels[f"case:{pk}"] = reference
    owners = dict(Person.objects.filter(pk__in=pks("person")).values_list("pk", "case_id"))
    visible_cases = set(cases.filter(pk__in=set(owners.values())).values_list("pk", flat=True))
    full = set(scope.full_cases_queryset.filter(pk__in=visible_cases).values_list("pk", flat=True))
    visible_people = [pk for pk, case_id in owners.items() if case_id in visible_cases]
    # Names are read (decrypted) only for people of cases the viewer has full access to.
    named = {pk for pk in visible_people if owners[pk] in full}
    for person in Person.objects.filter(pk__in=named).only("pk", "role", "full_name"):
        labels[f"person:{person.pk}"] = f"{person.full_name} ({person.get_role_display()})"
    for person in Person.objects.filter(pk__in=set(visible_people) - named).only("pk", "role"):
        labels[f"person:{person.pk}"] = f"{person.get_role_display()} {person.pk}"
    for pk, public_id in scope.adverts.filter(pk__in=pks("advert")).values_list("pk", "public_id"):
        labels[f"advert:{pk}"] = str(graph.advert_label(public_id))
    group_ids = pks("group")
    if group_ids:
        seen_groups = set(
            scope.adverts.filter(group_id__in=group_ids).values_list("group_id", flat=True)
        )
        for pk, public_id in AdvertGroup.objects.filter(pk__in=seen_groups).values_list(
            "pk", "public_id"
        ):
            labels[f"group:{pk}"] = str(graph.group_label(public_id))
    for pk, reference in scope.referrals.filter(pk__in=pks("referral")).values_list(
        "pk", "reference"
    ):
        labels[f"referral:{pk}"] = reference
    for kind in graph.IDENTIFIER_TYPES:
        prefixes = sorted(by_kind.get(kind, set()))
        for start in range(0, len(prefixes), PREFIXES_PER_QUERY):
            batch = prefixes[start : start + PREFIXES_PER_QUERY]
            for prefix, label in _identifier_labels(scope, kind, batch).items():
                labels[f"{kind}:{prefix}"] = label
    return labels


def _first_seen(
    rows: list[tuple[int, int, str]], visible: Callable[[set[int]], set[int]]
) -> dict[str, int]:
    """For each node prefix, the first row (pk, owner id, index; by pk, SCAN_LIMIT at most a
    prefix, as the live graph reads) whose owner the viewer may see."""
    kept: list[tuple[int, int, str]] = []
    scanned: Counter[str] = Counter()
    for pk, owner, index in rows:
        prefix = index[: graph.INDEX_PREFIX]
        if scanned[prefix] < graph.SCAN_LIMIT:
            scanned[prefix] += 1
            kept.append((pk, owner, prefix))
    # Asked about in slices: an identifier on thousands of cases (a helpline's number, say)
    # would make one IN list longer than SQLite takes.
    owners = sorted({owner for _pk, owner, _prefix in kept})
    seen: set[int] = set()
    for start in range(0, len(owners), graph.SCAN_LIMIT):
        seen |= visible(set(owners[start : start + graph.SCAN_LIMIT]))
    first: dict[str, int] = {}
    for pk, owner, prefix in kept:
        if owner in seen:
            first.setdefault(prefix, pk)
    return first


def _identifier_labels(scope: graph.Scope, kind: str, prefixes: list[str]) -> dict[str, str]:
    """Labels of one kind's identifier nodes (by index prefix), by the live graph's rules: the
    value where a case the viewer may see holds it, else where it was seen (adverts in the
    viewer's scope, then referrals). Each index is looked up alone, by its own database index,
    and then matched to the scope: joined to it, the planner may walk the whole region.

    The holders of all the prefixes are read by one query (a UNION ALL of one indexed range
    each: as one OR of ranges SQLite scanned the whole table), the viewer's cases among them
    and the first ones' values by one query each: on PostgreSQL the two to five queries a
    prefix took a third of a second for 91 prefixes."""

    def visible_cases(pks: set[int]) -> set[int]:
        return set(scope.cases.filter(pk__in=pks).values_list("pk", flat=True))

    first_part, *other_parts = [
        Identifier.objects.filter(graph.prefix_range("value_index", prefix), kind=kind)
        .order_by()
        .values_list("pk", "case_id", "value_index")
        for prefix in prefixes
    ]
    holders = first_part.union(*other_parts, all=True) if other_parts else first_part
    first = _first_seen(sorted(holders), visible_cases)
    values = dict(Identifier.objects.filter(pk__in=first.values()).values_list("pk", "value"))
    labels = {prefix: str(values[pk]) for prefix, pk in first.items()}
    for prefix in prefixes:
        if prefix not in labels:
            label = _seen_elsewhere(scope, kind, prefix)
            if label:
                labels[prefix] = label
    return labels


def _seen_elsewhere(scope: graph.Scope, kind: str, prefix: str) -> str:
    """The label of an identifier no case the viewer may see holds: seen in adverts in the
    viewer's scope, or given by a referral."""
    advert_ids = AdvertIdentifier.objects.filter(
        graph.prefix_range("value_index", prefix), kind=kind
    )
    if scope.adverts.filter(pk__in=advert_ids.values("advert_id")).exists():
        return str(graph.SEEN_IN_ADVERTS[kind])
    if kind in graph.FROM_REFERRAL:
        candidates = list(
            Referral.objects.filter(graph.prefix_range(f"{kind}_index", prefix))
            .order_by()
            .values_list("pk", flat=True)[: graph.SCAN_LIMIT]
        )
        if scope.referrals.filter(pk__in=candidates).exists():
            return str(graph.FROM_REFERRAL[kind])
    return ""


def _within_region(scope: graph.Scope, region_id: int) -> graph.Scope:
    return graph.Scope(
        cases=scope.cases.filter(region_id=region_id),
        full_cases_queryset=scope.full_cases_queryset.filter(region_id=region_id),
        adverts=scope.adverts.filter(region_id=region_id),
        referrals=scope.referrals.filter(region_id=region_id),
    )


def shown_for(scope: graph.Scope, region_ids: set[int], *, top: int = 3) -> ShownSnapshot | None:
    """The snapshots of the viewer's regions, each item filtered through the viewer's scope."""
    snapshots = list(NetworkSnapshot.objects.filter(region_id__in=region_ids).order_by("region_id"))
    if not snapshots:
        return None
    networks = list(
        SnapshotNetwork.objects.filter(snapshot__in=snapshots)
        .prefetch_related("items")
        .order_by("-size", "snapshot_id", "rank")
    )
    # Labels are looked up within each snapshot's own region: an identifier shared with a
    # record of another region the viewer works in must not reveal this region's network.
    labels: dict[int, dict[str, str]] = {
        stored.pk: _labels(
            _within_region(scope, stored.region_id),
            {
                item.node
                for network in networks
                if network.snapshot_id == stored.pk
                for item in network.items.all()
            },
        )
        for stored in snapshots
    }
    shown: list[ShownNetwork] = []
    for network in networks:
        items = list(network.items.all())
        region_labels = labels[network.snapshot_id]
        starts = [item for item in items if item.role == SnapshotItemRole.START]
        seed = next((item.node for item in starts if item.node in region_labels), "")
        tops: dict[str, list[ShownItem]] = {
            SnapshotItemRole.PERSON: [],
            SnapshotItemRole.PHONE: [],
        }
        hidden = 0
        for item in items:
            if item.role not in tops:
                continue
            if item.node not in region_labels:
                hidden += 1
            elif len(tops[item.role]) < top:
                tops[item.role].append(ShownItem(item.node, region_labels[item.node], item.degree))
        if not seed and not any(tops.values()):
            # Nothing of this network is within the viewer's scope: left out entirely.
            continue
        shown.append(
            ShownNetwork(
                rank=len(shown) + 1,
                size=network.size,
                counts=network.counts,
                seed=seed,
                top_people=tops[SnapshotItemRole.PERSON],
                top_phones=tops[SnapshotItemRole.PHONE],
                hidden=hidden,
            )
        )
    return ShownSnapshot(
        computed_at=min(snapshot.computed_at for snapshot in snapshots), networks=shown
    )
