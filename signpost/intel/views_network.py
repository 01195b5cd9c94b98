"""The network view and the entity-resolution review queue."""

from __future__ import annotations

import networkx as nx
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from signpost.core import access
from signpost.core.decorators import role_required
from signpost.core.models import User
from signpost.core.roles import Role
from signpost.intel import forms, graph, resolution, snapshot
from signpost.intel import services as intel_services

network_roles = role_required(Role.INVESTIGATOR, Role.LEAD, Role.ANALYST)
resolution_roles = role_required(Role.LEAD, Role.ANALYST)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _type_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in graph.NODE_TYPES.items()]


def _live_limit() -> int:
    return int(getattr(settings, "INTEL_LIVE_GRAPH_LIMIT", graph.LIVE_GRAPH_LIMIT))


def _seed_from(form: forms.NetworkForm, user: User, scope: graph.Scope) -> tuple[str, str]:
    """The start node and, when it cannot be found, a message (never echoing the input)."""
    data = form.cleaned_data
    kind = data.get("seed_kind") or ""
    if data.get("node"):
        return data["node"], ""
    if kind == "case":
        seed = graph.case_seed(user, data["case"])
        return seed, "" if seed else _("No case with that reference that you may see.")
    if kind == "phone":
        return graph.phone_seed(data["phone"]), ""
    if kind == "group":
        seed = graph.group_seed(scope, data["group"])
        return seed, "" if seed else _("No advert group with that id that you may see.")
    return "", ""


@network_roles
@require_http_methods(["GET", "POST"])
def network(request: HttpRequest) -> HttpResponse:
    """Search input travels by POST only: a phone number is personal data."""
    user = _user(request)
    posted = request.method == "POST"
    form = forms.NetworkForm(request.POST if posted else None, type_choices=_type_choices())
    since = until = None
    types: set[str] = set()
    depth = 2
    seed, problem = "", ""
    scope = graph.scope_for(user)
    if posted and form.is_valid():
        since, until = form.cleaned_data.get("since"), form.cleaned_data.get("until")
        types = set(form.cleaned_data.get("types") or [])
        depth = form.cleaned_data.get("depth") or 2
        seed, problem = _seed_from(form, user, scope)
    expansion: graph.Expansion | None = None
    too_large = False
    summaries: list[graph.NetworkSummary] | list[snapshot.ShownNetwork] = []
    snapshot_at = None
    if seed:
        # From a start the view walks out from it (fast at any size); the largest networks need
        # the whole graph and are listed when no start is chosen.
        expansion = graph.expand(user, seed, depth=depth, since=since, until=until, scope=scope)
        shown = expansion.graph
        if not shown.number_of_nodes():
            problem = problem or _("Nothing you may see is linked to that.")
    elif posted and form.is_valid() and form.cleaned_data.get("seed_kind"):
        shown = nx.Graph()
    elif graph.scope_size(scope, limit := _live_limit()) > limit:
        # Too large to compute while the viewer waits: the periodic job's snapshot is listed,
        # filtered through this viewer's scope. Below the limit the list stays live: exact for
        # the viewer's own scope, within the chosen dates and never older than the data.
        shown = nx.Graph()
        stored = snapshot.shown_for(
            scope, access.region_ids_for(user, Role.INVESTIGATOR, Role.LEAD, Role.ANALYST)
        )
        if stored is None:
            too_large = True
        else:
            summaries = stored.networks
            snapshot_at = stored.computed_at
    else:
        whole = graph.build_graph(user, since=since, until=until)
        summaries = graph.largest_networks(whole)
        largest: set[str] = set()
        for summary in summaries[:3]:
            largest |= graph.network_of(whole, summary.seed)
        shown = whole.subgraph(largest).copy()
    shown = graph.filtered(shown, types)
    intel_services.network_view_record(by=user, nodes=shown.number_of_nodes(), seeded=bool(seed))
    return render(
        request,
        "intel/network.html",
        {
            "form": form,
            "summaries": summaries,
            "summaries_listed": expansion is None and not too_large,
            "too_large": too_large,
            "snapshot_at": snapshot_at,
            "snapshot_betweenness_limit": snapshot.BETWEENNESS_LIMIT,
            "capped": expansion.capped if expansion else [],
            "truncated": bool(expansion and expansion.truncated),
            "elements": graph.elements(shown, seed=seed),
            "rows": graph.node_rows(shown),
            "shown_count": shown.number_of_nodes(),
            "problem": problem,
            "type_labels": {key: str(label) for key, label in graph.NODE_TYPES.items()},
            "may_report": access.has_role(user, Role.INVESTIGATOR, Role.ANALYST, Role.LEAD),
            "seed": seed if seed and shown.number_of_nodes() else "",
            "depth": depth,
        },
    )


# --- Entity resolution -------------------------------------------------------------------------


@resolution_roles
def match_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    candidates = resolution.candidates_for(user)
    rows = resolution.describe(candidates, user=user)
    intel_services.match_queue_view_record(by=user, count=len(rows))
    return render(
        request,
        "intel/match_queue.html",
        {"rows": rows, "resolved": resolution.resolved_for(user, limit=50)},
    )


@resolution_roles
@require_http_methods(["GET", "POST"])
def match_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    candidate = resolution.candidate_for(user, pk)
    form = forms.MatchDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "confirm":
                resolution.match_confirm(candidate=candidate, by=user)
                messages.success(request, _("Merged: the records are now one person."))
            else:
                resolution.match_reject(candidate=candidate, by=user)
                messages.success(request, _("Recorded as different people."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("intel:match_queue")
    row = resolution.describe([candidate], user=user)[0]
    intel_services.match_view_record(by=user, candidate=candidate)
    return render(request, "intel/match_decide.html", {"row": row, "form": form})


@resolution_roles
@require_POST
def resolved_split(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    member = resolution.member_for(user, pk)
    resolution.member_split(member=member, by=user)
    messages.success(request, _("Split: the record is a separate person again."))
    return redirect("intel:match_queue")


@resolution_roles
@require_POST
def match_run(request: HttpRequest) -> HttpResponse:
    from signpost.intel.tasks import run_resolution

    user = _user(request)
    for region_id in access.region_ids_for(user, Role.LEAD, Role.ANALYST):
        run_resolution.enqueue(region_id=region_id, user_id=user.pk)
    messages.success(
        request, _("Matching has started. New proposals appear here when it has finished.")
    )
    return redirect("intel:match_queue")
