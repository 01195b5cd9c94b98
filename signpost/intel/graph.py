"""The entity graph: people, identifiers, places, adverts, advert groups, referrals and cases
that the user may see, joined by shared identifiers (blind indexes) and by the records
themselves. Built on demand with networkx; the network view shows a part of it.

Node ids are "<type>:<key>"; for identifiers the key is a prefix of the keyed blind index, so an
id reveals nothing and is safe in a page or a form, never a phone number or a name.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from signpost.adverts.models import Advert, AdvertGroup, AdvertIdentifier
from signpost.cases import access as case_rules
from signpost.cases.models import Case, Identifier, Person, Place
from signpost.core import access
from signpost.core.models import User
from signpost.core.roles import Role
from signpost.intel.models import ResolvedMember
from signpost.referrals.models import Referral

NODE_TYPES = {
    "case": _("Cases"),
    "person": _("People"),
    "phone": _("Phones"),
    "email": _("Emails"),
    "handle": _("Handles"),
    "vehicle": _("Vehicles"),
    "document": _("Documents"),
    "place": _("Places"),
    "advert": _("Adverts"),
    "group": _("Advert groups"),
    "referral": _("Referrals"),
}
IDENTIFIER_TYPES = ("phone", "email", "handle", "vehicle", "document")
# Labels of identifiers the viewer knows only from adverts or referrals: whole sentences per
# kind, so that each language can word (and inflect) them in full.
SEEN_IN_ADVERTS = {
    "phone": _("Phone number seen in adverts"),
    "email": _("Email address seen in adverts"),
    "handle": _("Social media handle seen in adverts"),
    "vehicle": _("Vehicle seen in adverts"),
    "document": _("Identity document seen in adverts"),
}
FROM_REFERRAL = {
    "phone": _("Phone number from a referral"),
    "email": _("Email address from a referral"),
}
INDEX_PREFIX = 20
MAX_DISPLAY_NODES = 400


def advert_label(public_id: object) -> str:
    return str(_("Advert %(id)s") % {"id": public_id})


def group_label(public_id: object) -> str:
    return str(_("Advert group %(id)s") % {"id": public_id})


def identifier_node(kind: str, value_index: str) -> str:
    return f"{kind}:{value_index[:INDEX_PREFIX]}"


def prefix_range(field_name: str, prefix: str) -> Q:
    """Blind index values that start with the prefix (a node id's), as a range: it uses the
    index. Indexes are hex, so "~" sorts after every value that starts with the prefix."""
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix + "~"})


@dataclass
class Scope:
    """What of each kind of record the user may see, as querysets."""

    cases: Any
    full_cases_queryset: Any
    adverts: Any
    referrals: Any

    @functools.cached_property
    def full_cases(self) -> set[int]:
        # Every case of a region for a lead: read only when the whole graph is built.
        return set(self.full_cases_queryset.values_list("pk", flat=True))


def scope_for(user: User) -> Scope:
    cases = case_rules.cases_for_user(user)
    whole_regions = access.region_ids_for(user, Role.LEAD, Role.ANALYST)
    investigator_regions = access.region_ids_for(user, Role.INVESTIGATOR)
    case_indexes = Identifier.objects.filter(case__in=cases).values("value_index")
    # Leads and analysts see every advert and referral of their region; investigators those
    # that touch an identifier of a case they may open.
    adverts = Advert.objects.filter(region_id__in=whole_regions) | Advert.objects.filter(
        region_id__in=investigator_regions,
        pk__in=AdvertIdentifier.objects.filter(value_index__in=case_indexes).values("advert_id"),
    )
    referrals = Referral.objects.filter(region_id__in=whole_regions) | Referral.objects.filter(
        Q(phone_index__in=case_indexes) | Q(email_index__in=case_indexes),
        region_id__in=investigator_regions,
    )
    return Scope(
        cases=cases,
        full_cases_queryset=case_rules.cases_with_full_access(user),
        adverts=adverts,
        referrals=referrals,
    )


# Above this many cases, adverts and referrals in the user's scope the largest networks are not
# computed while the user waits (a whole-region graph with 1,000,000 adverts takes over a minute).
LIVE_GRAPH_LIMIT = 200_000


def scope_size(scope: Scope, limit: int) -> int:
    """The number of records in scope, counted only up to `limit` (+1) to stay cheap."""
    total = 0
    for queryset in (scope.cases, scope.adverts, scope.referrals):
        total += queryset.order_by().values("pk")[: limit + 1 - total].count()
        if total > limit:
            break
    return total


def _in_range(moment: Any, since: datetime.date | None, until: datetime.date | None) -> bool:
    if moment is None:
        return True
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    return (since is None or day >= since) and (until is None or day <= until)


def _dated(queryset: Any, field_name: str, since: Any, until: Any) -> Any:
    """Records dated within the range; undated records are always in it (as _in_range)."""
    if since is None and until is None:
        return queryset
    within = Q()
    if since is not None:
        within &= Q(**{f"{field_name}__date__gte": since})
    if until is not None:
        within &= Q(**{f"{field_name}__date__lte": until})
    return queryset.filter(within | Q(**{f"{field_name}__isnull": True}))


def build_graph(
    user: User, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> nx.Graph:
    scope = scope_for(user)
    graph = nx.Graph()

    def add(node: str, kind: str, label: str, when: Any = None) -> None:
        # An edge may have created the node first (advert before its group): fill it in then.
        if node not in graph or "type" not in graph.nodes[node]:
            graph.add_node(node, type=kind, label=label, when=when.isoformat() if when else "")

    # Records are chosen by subqueries, never by lists of ids: a region's cases or adverts can
    # number more than a database accepts as parameters of one query.
    cases = _dated(scope.cases, "created_at", since, until)
    for pk, reference, created_at in cases.values_list("pk", "reference", "created_at"):
        add(f"case:{pk}", "case", reference, created_at)
    people = Person.objects.filter(case__in=cases).only(
        "pk", "case_id", "role", "full_name", "created_at"
    )
    full_cases = scope.full_cases
    for person in people:
        if person.case_id in full_cases:
            label = f"{person.full_name} ({person.get_role_display()})"
        else:
            label = f"{person.get_role_display()} {person.pk}"
        node = f"person:{person.pk}"
        add(node, "person", label, person.created_at)
        graph.add_edge(f"case:{person.case_id}", node, kind="in_case")
    for identifier in Identifier.objects.filter(case__in=cases).only(
        "pk", "case_id", "person_id", "kind", "value", "value_index"
    ):
        node = identifier_node(identifier.kind, identifier.value_index)
        add(node, identifier.kind, identifier.value)
        owner = f"person:{identifier.person_id}" if identifier.person_id else None
        graph.add_edge(owner or f"case:{identifier.case_id}", node, kind="identifier")
    full = cases.filter(pk__in=scope.full_cases_queryset.values("pk"))
    for place in Place.objects.filter(case__in=full).only(
        "pk", "case_id", "person_id", "kind", "postcode"
    ):
        node = (
            f"place:{place.postcode.replace(' ', '')}" if place.postcode else f"place:p{place.pk}"
        )
        add(node, "place", place.postcode or str(place.get_kind_display()))
        owner = f"person:{place.person_id}" if place.person_id else f"case:{place.case_id}"
        graph.add_edge(owner, node, kind="place")

    adverts = _dated(scope.adverts, "posted_at", since, until)
    for pk, public_id, posted_at, group_id in adverts.values_list(
        "pk", "public_id", "posted_at", "group_id"
    ):
        add(f"advert:{pk}", "advert", str(_("Advert %(id)s") % {"id": public_id}), posted_at)
        if group_id:
            graph.add_edge(f"advert:{pk}", f"group:{group_id}", kind="in_group")
    groups = AdvertGroup.objects.filter(pk__in=adverts.values("group_id"))
    for pk, public_id, first_posted in groups.values_list("pk", "public_id", "first_posted_at"):
        add(f"group:{pk}", "group", str(_("Advert group %(id)s") % {"id": public_id}), first_posted)
    for advert_id, kind, value_index in AdvertIdentifier.objects.filter(
        advert__in=adverts
    ).values_list("advert_id", "kind", "value_index"):
        node = identifier_node(kind, value_index)
        add(node, kind, str(SEEN_IN_ADVERTS[kind]))
        graph.add_edge(f"advert:{advert_id}", node, kind="identifier")

    for pk, reference, created_at, phone_index, email_index in scope.referrals.values_list(
        "pk", "reference", "created_at", "phone_index", "email_index"
    ):
        if not _in_range(created_at, since, until):
            continue
        node = f"referral:{pk}"
        add(node, "referral", reference, created_at)
        for kind, index in (("phone", phone_index), ("email", email_index)):
            if index:
                target = identifier_node(kind, index)
                add(target, kind, str(FROM_REFERRAL[kind]))
                graph.add_edge(node, target, kind="identifier")

    _add_resolved_people(graph)
    return graph


def _add_resolved_people(graph: nx.Graph) -> None:
    """Records confirmed as one person are joined by "same person" edges."""
    members: dict[int, list[str]] = {}
    for resolved_id, key in ResolvedMember.objects.values_list("resolved_id", "record_key"):
        if key in graph:
            members.setdefault(resolved_id, []).append(key)
    for keys in members.values():
        for left, right in itertools.pairwise(keys):
            graph.add_edge(left, right, kind="same_person")


# --- Networks and measures ---------------------------------------------------------------------


@dataclass
class NetworkSummary:
    rank: int
    seed: str
    size: int
    counts: dict[str, int]
    top_people: list[dict[str, Any]] = field(default_factory=list)
    top_phones: list[dict[str, Any]] = field(default_factory=list)


def _central(subgraph: nx.Graph, kind: str, limit: int = 3) -> list[dict[str, Any]]:
    nodes = [node for node, data in subgraph.nodes(data=True) if data["type"] == kind]
    if not nodes:
        return []
    # Betweenness is quadratic or worse; beyond a few hundred nodes degree alone ranks them.
    small = subgraph.number_of_nodes() <= 600
    betweenness = nx.betweenness_centrality(subgraph) if small else {}
    ranked = sorted(
        nodes, key=lambda node: (-subgraph.degree(node), -betweenness.get(node, 0.0), node)
    )
    return [
        {
            "id": node,
            "label": subgraph.nodes[node]["label"],
            "degree": subgraph.degree(node),
            "betweenness": round(betweenness.get(node, 0.0), 3),
        }
        for node in ranked[:limit]
    ]


def largest_networks(graph: nx.Graph, limit: int = 10) -> list[NetworkSummary]:
    """The largest connected networks that hold at least one case, advert or referral."""
    record_types = {"case", "advert", "referral", "group"}
    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    summaries: list[NetworkSummary] = []
    for component in components:
        if len(component) < 2:
            break
        counts = Counter(graph.nodes[node]["type"] for node in component)
        if not record_types & set(counts):
            continue
        subgraph = graph.subgraph(component)
        seed = max(component, key=lambda node: (subgraph.degree(node), node))
        summaries.append(
            NetworkSummary(
                rank=len(summaries) + 1,
                seed=seed,
                size=len(component),
                counts=dict(counts),
                top_people=_central(subgraph, "person"),
                top_phones=_central(subgraph, "phone"),
            )
        )
        if len(summaries) >= limit:
            break
    return summaries


def neighbourhood(graph: nx.Graph, seed: str, depth: int) -> nx.Graph:
    if seed not in graph:
        return nx.Graph()
    return graph.subgraph(nx.ego_graph(graph, seed, radius=depth).nodes).copy()


def network_of(graph: nx.Graph, seed: str) -> set[str]:
    if seed not in graph:
        return set()
    return set(nx.node_connected_component(graph, seed))


def filtered(graph: nx.Graph, types: set[str]) -> nx.Graph:
    if not types:
        return graph
    keep = [node for node, data in graph.nodes(data=True) if data["type"] in types]
    return graph.subgraph(keep).copy()


def elements(graph: nx.Graph, *, seed: str = "") -> list[dict[str, Any]]:
    """Cytoscape.js elements: nodes then edges, capped so that the page stays usable."""
    nodes = list(graph.nodes)
    if len(nodes) > MAX_DISPLAY_NODES:
        nodes = sorted(nodes, key=lambda node: (node != seed, -graph.degree(node)))[
            :MAX_DISPLAY_NODES
        ]
    keep = set(nodes)
    result: list[dict[str, Any]] = []
    for node in nodes:
        data = graph.nodes[node]
        result.append(
            {
                "data": {
                    "id": node,
                    "label": data["label"],
                    "type": data["type"],
                    "degree": graph.degree(node),
                    "seed": node == seed,
                }
            }
        )
    for index, (left, right, data) in enumerate(graph.edges(data=True)):
        if left in keep and right in keep:
            result.append(
                {"data": {"id": f"e{index}", "source": left, "target": right, "kind": data["kind"]}}
            )
    return result


def node_rows(graph: nx.Graph, limit: int = MAX_DISPLAY_NODES) -> list[dict[str, Any]]:
    """The same network as a table, most connected first."""
    labels = {key: str(value) for key, value in NODE_TYPES.items()}
    rows = [
        {
            "id": node,
            "type": labels.get(data["type"], data["type"]),
            "label": data["label"],
            "degree": graph.degree(node),
            "when": data.get("when", "")[:10],
        }
        for node, data in graph.nodes(data=True)
    ]
    rows.sort(key=lambda row: (-row["degree"], row["type"], row["label"]))
    return rows[:limit]


def case_seed(user: User, reference: str) -> str:
    case = case_rules.cases_for_user(user).filter(reference=reference.strip().upper()).first()
    return f"case:{case.pk}" if case else ""


def case_seed_by_pk(user: User, pk: int) -> str:
    return f"case:{pk}" if case_rules.cases_for_user(user).filter(pk=pk).exists() else ""


def group_seed(scope: Scope, public_id: str) -> str:
    group_ids = scope.adverts.values("group_id")
    group = AdvertGroup.objects.filter(public_id=public_id.strip(), pk__in=group_ids).first()
    return f"group:{group.pk}" if group else ""


def phone_seed(value: str) -> str:
    from signpost.core import crypto

    return identifier_node("phone", crypto.blind_index("phone", crypto.normalise_phone(value)))


def case_in_scope(scope: Scope, pk: int) -> bool:
    return Case.objects.filter(pk=pk).filter(pk__in=scope.cases.values("pk")).exists()


# --- Expanding from one start, for large installs ----------------------------------------------
#
# Building the whole graph of a region costs seconds once there are a million adverts. The
# network view expands instead from its start, one step at a time, with one or a few indexed
# queries per step and kind. Hubs (a phone in thousands of adverts, a large advert group) are
# capped: a node shows at most MAX_NEIGHBOURS of its links, the view at most MAX_DISPLAY_NODES
# items, and the view says which nodes were capped.

MAX_NEIGHBOURS = 40
# How many holders of one identifier are read before the user's scope is applied to them.
SCAN_LIMIT = 2000


@dataclass
class Capped:
    node: str
    label: str
    found: int
    shown: int


@dataclass
class Expansion:
    graph: nx.Graph
    capped: list[Capped] = field(default_factory=list)
    # True when the view's node budget stopped the expansion before the requested depth.
    truncated: bool = False


class _Expander:
    def __init__(
        self,
        user: User,
        *,
        since: datetime.date | None,
        until: datetime.date | None,
        max_nodes: int,
        max_neighbours: int,
        scope: Scope | None = None,
    ) -> None:
        self.user = user
        self.scope = scope or scope_for(user)
        self.since, self.until = since, until
        self.max_nodes, self.max_neighbours = max_nodes, max_neighbours
        self.graph = nx.Graph()
        self.capped: dict[str, Capped] = {}
        self.truncated = False
        # Full blind index of each identifier node (node ids carry only a prefix).
        self.indexes: dict[str, str] = {}
        self.full_cases: dict[int, bool] = {}

    # Nodes and edges ---------------------------------------------------------------------------

    def room(self) -> bool:
        if self.graph.number_of_nodes() >= self.max_nodes:
            self.truncated = True
            return False
        return True

    def add(self, node: str, kind: str, label: str, when: Any = None) -> bool:
        """Add a node unless the budget is spent; True when the node is (now) in the graph."""
        if node in self.graph and "type" in self.graph.nodes[node]:
            return True
        if not self.room():
            return False
        self.graph.add_node(node, type=kind, label=label, when=when.isoformat() if when else "")
        return True

    def link(self, left: str, right: str, kind: str) -> None:
        if left in self.graph and right in self.graph:
            self.graph.add_edge(left, right, kind=kind)

    def cap(self, node: str, found: int) -> None:
        label = self.graph.nodes[node]["label"] if node in self.graph else node
        self.capped[node] = Capped(node=node, label=label, found=found, shown=self.max_neighbours)

    def in_range(self, moment: Any) -> bool:
        return _in_range(moment, self.since, self.until)

    def full_access(self, case_ids: set[int]) -> None:
        unknown = case_ids - set(self.full_cases)
        if unknown:
            allowed = set(
                self.scope.full_cases_queryset.filter(pk__in=unknown).values_list("pk", flat=True)
            )
            for pk in unknown:
                self.full_cases[pk] = pk in allowed

    def identifier(self, kind: str, value_index: str, label: str) -> str | None:
        node = identifier_node(kind, value_index)
        self.indexes.setdefault(node, value_index)
        return node if self.add(node, kind, label) else None

    # Neighbours of each kind of node, a whole frontier at a time ------------------------------

    def cases(self, pks: set[int]) -> None:
        visible = self.scope.cases.filter(pk__in=pks)
        for pk, reference, created_at in visible.values_list("pk", "reference", "created_at"):
            if self.in_range(created_at):
                self.add(f"case:{pk}", "case", reference, created_at)
        shown = {pk for pk in pks if f"case:{pk}" in self.graph}
        if not shown:
            return
        self.full_access(shown)
        self.people(Person.objects.filter(case_id__in=shown), per_case=True)
        identifiers = Identifier.objects.filter(case_id__in=shown, person__isnull=True)
        self.case_identifiers(identifiers)
        full = [pk for pk in shown if self.full_cases[pk]]
        self.places(Place.objects.filter(case_id__in=full, person__isnull=True))

    def people(self, queryset: Any, *, per_case: bool = False) -> list[int]:
        rows = queryset.only("pk", "case_id", "role", "full_name", "created_at").order_by("pk")
        counts: Counter[int] = Counter()
        added = []
        for person in rows[: self.max_nodes]:
            counts[person.case_id] += 1
            if per_case and counts[person.case_id] > self.max_neighbours:
                self.cap(f"case:{person.case_id}", counts[person.case_id])
                continue
            self.full_access({person.case_id})
            if self.full_cases[person.case_id]:
                label = f"{person.full_name} ({person.get_role_display()})"
            else:
                label = f"{person.get_role_display()} {person.pk}"
            node = f"person:{person.pk}"
            if self.add(node, "person", label, person.created_at):
                if f"case:{person.case_id}" not in self.graph:
                    self.cases_shallow({person.case_id})
                self.link(f"case:{person.case_id}", node, "in_case")
                added.append(person.pk)
        return added

    def case_identifiers(self, queryset: Any) -> None:
        for identifier in queryset.only(
            "pk", "case_id", "person_id", "kind", "value", "value_index"
        )[: self.max_nodes]:
            node = self.identifier(identifier.kind, identifier.value_index, identifier.value)
            if node:
                owner = (
                    f"person:{identifier.person_id}"
                    if identifier.person_id
                    else f"case:{identifier.case_id}"
                )
                self.link(owner, node, "identifier")

    def places(self, queryset: Any) -> None:
        for place in queryset.only("pk", "case_id", "person_id", "kind", "postcode")[
            : self.max_neighbours
        ]:
            node = (
                f"place:{place.postcode.replace(' ', '')}"
                if place.postcode
                else f"place:p{place.pk}"
            )
            if self.add(node, "place", place.postcode or str(place.get_kind_display())):
                owner = f"person:{place.person_id}" if place.person_id else f"case:{place.case_id}"
                self.link(owner, node, "place")

    def visible_case_ids(self, case_ids: set[int]) -> set[int]:
        # A short list of ids checked against the scope: indexed whatever the scope's shape.
        return set(self.scope.cases.filter(pk__in=case_ids).values_list("pk", flat=True))

    def persons(self, pks: set[int]) -> None:
        owners = dict(Person.objects.filter(pk__in=pks).values_list("pk", "case_id"))
        case_ids = self.visible_case_ids(set(owners.values()))
        visible = {pk for pk, case_id in owners.items() if case_id in case_ids}
        missing = [pk for pk in visible if f"person:{pk}" not in self.graph]
        if missing:
            self.people(Person.objects.filter(pk__in=missing))
        self.case_identifiers(
            Identifier.objects.filter(person_id__in=visible, case_id__in=case_ids).order_by("pk")
        )
        self.full_access(case_ids)
        full = [pk for pk in case_ids if self.full_cases[pk]]
        self.places(Place.objects.filter(person_id__in=visible, case_id__in=full).order_by("pk"))
        # Records confirmed as one person are neighbours ("same person").
        keys = [f"person:{pk}" for pk in visible]
        resolved = ResolvedMember.objects.filter(record_key__in=keys).values("resolved_id")
        members: dict[int, list[str]] = {}
        for resolved_id, key in ResolvedMember.objects.filter(resolved_id__in=resolved).values_list(
            "resolved_id", "record_key"
        )[: self.max_nodes]:
            members.setdefault(resolved_id, []).append(key)
        for keys_of_one in members.values():
            people = [key for key in keys_of_one if key.startswith("person:")]
            others = {int(key.partition(":")[2]) for key in people if key not in self.graph}
            if others:
                owners = dict(Person.objects.filter(pk__in=others).values_list("pk", "case_id"))
                allowed = self.visible_case_ids(set(owners.values()))
                self.people(
                    Person.objects.filter(
                        pk__in=[pk for pk, case_id in owners.items() if case_id in allowed]
                    )
                )
            for left, right in itertools.pairwise([key for key in people if key in self.graph]):
                self.link(left, right, "same_person")

    def identifiers(self, nodes: list[str]) -> None:
        for node in nodes:
            kind, _sep, prefix = node.partition(":")
            self.identifier_holders(node, kind, self.indexes.get(node, ""), prefix)

    def identifier_holders(self, node: str, kind: str, value_index: str, prefix: str) -> None:
        def matching(field_name: str) -> Q:
            if value_index:
                return Q(**{field_name: value_index})
            # A node id from the page carries a prefix of the index.
            return prefix_range(field_name, prefix)

        limit = self.max_neighbours
        # Look the index up alone (its own database index), then keep the holders the user may
        # see: joined to the scope, the planner may walk the whole region instead.
        candidates = list(
            Identifier.objects.filter(matching("value_index"), kind=kind)
            .order_by("pk")
            .only("pk", "case_id", "person_id", "kind", "value", "value_index")[:SCAN_LIMIT]
        )
        visible_cases = set(
            self.scope.cases.filter(pk__in={row.case_id for row in candidates}).values_list(
                "pk", flat=True
            )
        )
        holder_rows = [row for row in candidates if row.case_id in visible_cases]
        if len(holder_rows) > limit:
            self.cap(node, len(holder_rows))
        for identifier in holder_rows[:limit]:
            if not self.identifier(kind, identifier.value_index, identifier.value):
                return
            if identifier.person_id:
                self.people(Person.objects.filter(pk=identifier.person_id))
                self.link(f"person:{identifier.person_id}", node, "identifier")
            else:
                self.cases_shallow({identifier.case_id})
                self.link(f"case:{identifier.case_id}", node, "identifier")
        advert_ids = AdvertIdentifier.objects.filter(matching("value_index"), kind=kind)
        adverts = self.scope.adverts.filter(pk__in=advert_ids.values("advert_id"))
        advert_rows = list(adverts.values_list("pk", "public_id", "posted_at")[: limit + 1])
        if advert_rows and node not in self.graph:
            first_index = advert_ids.values_list("value_index", flat=True).first() or prefix
            label = str(SEEN_IN_ADVERTS[kind])
            if not self.identifier(kind, first_index, label):
                return
        if len(advert_rows) > limit:
            self.cap(node, adverts.count())
        for pk, public_id, posted_at in advert_rows[:limit]:
            if self.in_range(posted_at) and self.add(
                f"advert:{pk}", "advert", str(_("Advert %(id)s") % {"id": public_id}), posted_at
            ):
                self.link(f"advert:{pk}", node, "identifier")
        if kind not in ("phone", "email"):
            return
        candidate_ids = list(
            Referral.objects.filter(matching(f"{kind}_index"))
            .order_by()
            .values_list("pk", flat=True)[:SCAN_LIMIT]
        )
        referrals = self.scope.referrals.filter(pk__in=candidate_ids)
        referral_rows = list(
            referrals.values_list("pk", "reference", "created_at", f"{kind}_index")[: limit + 1]
        )
        if referral_rows and node not in self.graph:
            label = str(FROM_REFERRAL[kind])
            if not self.identifier(kind, referral_rows[0][3], label):
                return
        if len(referral_rows) > limit:
            self.cap(node, referrals.count())
        for referral_pk, reference, created_at, _index in referral_rows[:limit]:
            if self.in_range(created_at) and self.add(
                f"referral:{referral_pk}", "referral", reference, created_at
            ):
                self.link(f"referral:{referral_pk}", node, "identifier")

    def cases_shallow(self, pks: set[int]) -> None:
        visible = self.scope.cases.filter(pk__in=pks)
        for pk, reference, created_at in visible.values_list("pk", "reference", "created_at"):
            if self.in_range(created_at):
                self.add(f"case:{pk}", "case", reference, created_at)

    def adverts(self, pks: set[int]) -> None:
        visible = self.scope.adverts.filter(pk__in=pks)
        group_ids: dict[int, int] = {}
        for pk, public_id, posted_at, group_id in visible.values_list(
            "pk", "public_id", "posted_at", "group_id"
        ):
            label = str(_("Advert %(id)s") % {"id": public_id})
            shown = self.in_range(posted_at) and self.add(
                f"advert:{pk}", "advert", label, posted_at
            )
            if shown and group_id:
                group_ids[pk] = group_id
        self.groups_shallow(set(group_ids.values()))
        for pk, group_id in group_ids.items():
            self.link(f"advert:{pk}", f"group:{group_id}", "in_group")
        visible_ids = [pk for pk in pks if f"advert:{pk}" in self.graph]
        for advert_id, kind, value_index in AdvertIdentifier.objects.filter(
            advert_id__in=visible_ids
        ).values_list("advert_id", "kind", "value_index")[: self.max_nodes]:
            label = str(SEEN_IN_ADVERTS[kind])
            node = self.identifier(kind, value_index, label)
            if node:
                self.link(f"advert:{advert_id}", node, "identifier")

    def groups_shallow(self, pks: set[int]) -> None:
        for pk, public_id, first_posted in AdvertGroup.objects.filter(pk__in=pks).values_list(
            "pk", "public_id", "first_posted_at"
        ):
            label = str(_("Advert group %(id)s") % {"id": public_id})
            self.add(f"group:{pk}", "group", label, first_posted)

    def groups(self, pks: set[int]) -> None:
        limit = self.max_neighbours
        for pk in pks:
            if not self.scope.adverts.filter(group_id=pk).exists():
                continue
            self.groups_shallow({pk})
            adverts = self.scope.adverts.filter(group_id=pk)
            rows = list(adverts.values_list("pk", "public_id", "posted_at")[: limit + 1])
            if len(rows) > limit:
                self.cap(f"group:{pk}", adverts.count())
            for advert_pk, public_id, posted_at in rows[:limit]:
                label = str(_("Advert %(id)s") % {"id": public_id})
                if self.in_range(posted_at) and self.add(
                    f"advert:{advert_pk}", "advert", label, posted_at
                ):
                    self.link(f"advert:{advert_pk}", f"group:{pk}", "in_group")

    def referrals(self, pks: set[int]) -> None:
        for pk, reference, created_at, phone_index, email_index in self.scope.referrals.filter(
            pk__in=pks
        ).values_list("pk", "reference", "created_at", "phone_index", "email_index"):
            if not (
                self.in_range(created_at)
                and self.add(f"referral:{pk}", "referral", reference, created_at)
            ):
                continue
            for kind, index in (("phone", phone_index), ("email", email_index)):
                if index:
                    label = str(FROM_REFERRAL[kind])
                    node = self.identifier(kind, index, label)
                    if node:
                        self.link(f"referral:{pk}", node, "identifier")

    def places_shared(self, nodes: list[str]) -> None:
        postcodes = [node.partition(":")[2] for node in nodes if not node.startswith("place:p")]
        full = self.scope.full_cases_queryset
        for postcode in postcodes:
            spaced = f"{postcode[:-3]} {postcode[-3:]}" if len(postcode) > 3 else postcode
            shared = Place.objects.filter(postcode__in=[postcode, spaced], case__in=full).only(
                "pk", "case_id", "person_id", "kind", "postcode"
            )
            rows = list(shared[: self.max_neighbours + 1])
            if len(rows) > self.max_neighbours:
                self.cap(f"place:{postcode}", shared.count())
            for place in rows[: self.max_neighbours]:
                if place.person_id:
                    self.people(Person.objects.filter(pk=place.person_id))
                    self.link(f"person:{place.person_id}", f"place:{postcode}", "place")
                else:
                    self.cases_shallow({place.case_id})
                    self.link(f"case:{place.case_id}", f"place:{postcode}", "place")

    # The walk -----------------------------------------------------------------------------------

    def expand(self, frontier: list[str]) -> None:
        by_type: dict[str, list[str]] = {}
        for node in frontier:
            by_type.setdefault(node.partition(":")[0], []).append(node)

        def pks(kind: str) -> set[int]:
            return {
                int(key)
                for key in (node.partition(":")[2] for node in by_type.get(kind, []))
                if key.isdigit()
            }

        if by_type.get("case"):
            self.cases(pks("case"))
        if by_type.get("person"):
            self.persons(pks("person"))
        identifier_nodes = [n for kind in IDENTIFIER_TYPES for n in by_type.get(kind, [])]
        if identifier_nodes:
            self.identifiers(identifier_nodes)
        if by_type.get("advert"):
            self.adverts(pks("advert"))
        if by_type.get("group"):
            self.groups(pks("group"))
        if by_type.get("referral"):
            self.referrals(pks("referral"))
        if by_type.get("place"):
            self.places_shared(by_type["place"])


def expand(
    user: User,
    seed: str,
    *,
    depth: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    max_nodes: int = MAX_DISPLAY_NODES,
    max_neighbours: int = MAX_NEIGHBOURS,
    scope: Scope | None = None,
) -> Expansion:
    """The part of the user's graph within `depth` links of `seed`, capped at hubs."""
    walker = _Expander(
        user,
        since=since,
        until=until,
        max_nodes=max_nodes,
        max_neighbours=max_neighbours,
        scope=scope,
    )
    seen = {seed}
    frontier = [seed]
    walker.expand(frontier)
    if seed not in walker.graph:
        # The start itself is out of scope (or out of the time range): nothing to show.
        return Expansion(graph=nx.Graph())
    for _step in range(depth - 1):
        frontier = [node for node in walker.graph.nodes if node not in seen]
        if not frontier or walker.truncated:
            break
        seen.update(frontier)
        walker.expand(frontier)
    return Expansion(
        graph=walker.graph, capped=list(walker.capped.values()), truncated=walker.truncated
    )
