"""The entity graph: people, identifiers, places, adverts, advert groups, referrals and cases
that the user may see, joined by shared identifiers (blind indexes) and by the records
themselves. Built on demand with networkx; the network view shows a part of it.

Node ids are "<type>:<key>"; for identifiers the key is a prefix of the keyed blind index, so an
id reveals nothing and is safe in a page or a form, never a phone number or a name.
"""

from __future__ import annotations

import datetime
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
INDEX_PREFIX = 20
MAX_DISPLAY_NODES = 400


def identifier_node(kind: str, value_index: str) -> str:
    return f"{kind}:{value_index[:INDEX_PREFIX]}"


@dataclass
class Scope:
    """What of each kind of record the user may see, as querysets."""

    cases: Any
    full_cases: set[int]
    adverts: Any
    referrals: Any


def scope_for(user: User) -> Scope:
    cases = case_rules.cases_for_user(user)
    full_cases = set(case_rules.cases_with_full_access(user).values_list("pk", flat=True))
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
    return Scope(cases=cases, full_cases=full_cases, adverts=adverts, referrals=referrals)


def _in_range(moment: Any, since: datetime.date | None, until: datetime.date | None) -> bool:
    if moment is None:
        return True
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    return (since is None or day >= since) and (until is None or day <= until)


def build_graph(
    user: User, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> nx.Graph:
    scope = scope_for(user)
    graph = nx.Graph()

    def add(node: str, kind: str, label: str, when: Any = None) -> None:
        # An edge may have created the node first (advert before its group): fill it in then.
        if node not in graph or "type" not in graph.nodes[node]:
            graph.add_node(node, type=kind, label=label, when=when.isoformat() if when else "")

    case_ids = []
    for pk, reference, created_at in scope.cases.values_list("pk", "reference", "created_at"):
        if _in_range(created_at, since, until):
            add(f"case:{pk}", "case", reference, created_at)
            case_ids.append(pk)
    people = Person.objects.filter(case_id__in=case_ids).only(
        "pk", "case_id", "role", "full_name", "created_at"
    )
    for person in people:
        if person.case_id in scope.full_cases:
            label = f"{person.full_name} ({person.get_role_display()})"
        else:
            label = f"{person.get_role_display()} {person.pk}"
        node = f"person:{person.pk}"
        add(node, "person", label, person.created_at)
        graph.add_edge(f"case:{person.case_id}", node, kind="in_case")
    for identifier in Identifier.objects.filter(case_id__in=case_ids).only(
        "pk", "case_id", "person_id", "kind", "value", "value_index"
    ):
        node = identifier_node(identifier.kind, identifier.value_index)
        add(node, identifier.kind, identifier.value)
        owner = f"person:{identifier.person_id}" if identifier.person_id else None
        graph.add_edge(owner or f"case:{identifier.case_id}", node, kind="identifier")
    full_case_ids = [pk for pk in case_ids if pk in scope.full_cases]
    for place in Place.objects.filter(case_id__in=full_case_ids).only(
        "pk", "case_id", "person_id", "kind", "postcode"
    ):
        node = (
            f"place:{place.postcode.replace(' ', '')}" if place.postcode else f"place:p{place.pk}"
        )
        add(node, "place", place.postcode or str(place.get_kind_display()))
        owner = f"person:{place.person_id}" if place.person_id else f"case:{place.case_id}"
        graph.add_edge(owner, node, kind="place")

    advert_rows = scope.adverts.values_list("pk", "public_id", "posted_at", "group_id")
    advert_ids = []
    group_ids = set()
    for pk, public_id, posted_at, group_id in advert_rows:
        if not _in_range(posted_at, since, until):
            continue
        advert_ids.append(pk)
        add(f"advert:{pk}", "advert", str(_("Advert %(id)s") % {"id": public_id}), posted_at)
        if group_id:
            group_ids.add(group_id)
            graph.add_edge(f"advert:{pk}", f"group:{group_id}", kind="in_group")
    for pk, public_id, first_posted in AdvertGroup.objects.filter(pk__in=group_ids).values_list(
        "pk", "public_id", "first_posted_at"
    ):
        add(f"group:{pk}", "group", str(_("Advert group %(id)s") % {"id": public_id}), first_posted)
    for advert_id, kind, value_index in AdvertIdentifier.objects.filter(
        advert_id__in=advert_ids
    ).values_list("advert_id", "kind", "value_index"):
        node = identifier_node(kind, value_index)
        add(node, kind, str(_("%(kind)s seen in adverts") % {"kind": NODE_TYPES[kind]}))
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
                add(target, kind, str(_("%(kind)s from a referral") % {"kind": NODE_TYPES[kind]}))
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
