"""Reads of the outreach app, and the attribution figures the insights dashboard reuses.

Attribution follows a landing token: a leaflet printed for a point (one token per point,
edition and language) or an awareness post (one token per post). For each token: scans (public
app), referrals that arrived through it by source (referrals app) and the cases opened from
those. Only counts leave these functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.models import Region, User
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    Distribution,
    DistributionPoint,
    LeafletEdition,
    PointLeaflet,
)
from signpost.public.selectors import scan_counts

SMALL_NUMBER_THRESHOLD = 5
FEWER_THAN_FIVE = _("fewer than 5")


@dataclass
class Outcome:
    """What came of one or more tokens. `distributed` is leaflets given out, or posts' reach."""

    distributed: int = 0
    scans: int = 0
    self_referrals: int = 0
    public_referrals: int = 0
    partner_referrals: int = 0
    # A case reached through two tokens of one point counts once for the point.
    case_keys: set[tuple[str, int]] = field(default_factory=set, repr=False)

    def add(self, other: Outcome) -> None:
        self.scans += other.scans
        self.self_referrals += other.self_referrals
        self.public_referrals += other.public_referrals
        self.partner_referrals += other.partner_referrals
        self.case_keys |= other.case_keys

    @property
    def cases(self) -> int:
        return len(self.case_keys)

    @property
    def referrals(self) -> int:
        return self.self_referrals + self.public_referrals + self.partner_referrals


@dataclass
class AttributionRow:
    key: Any
    label: str
    outcome: Outcome
    detail: str = ""


COLUMNS = (
    ("distributed", _("Leaflets distributed")),
    ("scans", _("Scans")),
    ("self_referrals", _("Self-referrals")),
    ("public_referrals", _("Referrals by the public")),
    ("partner_referrals", _("Partner referrals")),
    ("cases", _("Cases opened")),
)


def shown_count(value: int, *, shared_outside: bool) -> int | str:
    """Outside the charity, numbers below five are not shown as such: they could identify."""
    if shared_outside and value < SMALL_NUMBER_THRESHOLD:
        return str(FEWER_THAN_FIVE)
    return value


def most_results_first(row: AttributionRow, *, shared_outside: bool) -> tuple[Any, ...]:
    """Sort key: cases, then referrals, scans and leaflets, most first; then by name. Numbers
    not shown outside the charity sort as one: their order would tell what they hide."""

    def shown(value: int) -> int:
        return 0 if shared_outside and value < SMALL_NUMBER_THRESHOLD else value

    outcome = row.outcome
    referrals = (
        shown(outcome.self_referrals)
        + shown(outcome.public_referrals)
        + shown(outcome.partner_referrals)
    )
    return (
        -shown(outcome.cases),
        -referrals,
        -shown(outcome.scans),
        -shown(outcome.distributed),
        row.label,
        str(row.key),
    )


def table_cells(row: AttributionRow, *, shared_outside: bool) -> list[int | str]:
    return [
        shown_count(getattr(row.outcome, name), shared_outside=shared_outside)
        for name, _label in COLUMNS
    ]


# --- Per token -----------------------------------------------------------------------------


def _day_bounds(
    date_from: date | None, date_to: date | None
) -> tuple[datetime | None, datetime | None]:
    start = timezone.make_aware(datetime.combine(date_from, time.min)) if date_from else None
    end = timezone.make_aware(datetime.combine(date_to, time.max)) if date_to else None
    return start, end


def _referral_model() -> type[models.Model] | None:
    """The referrals app's Referral, once it carries the landing token (read-only here)."""
    try:
        model = apps.get_model("referrals", "Referral")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if "landing_token" in names else None


def _referral_has_case(model: type[models.Model]) -> bool:
    return "case" in {f.name for f in model._meta.get_fields()}


def token_outcomes(
    *, token_ids: Iterable[int], date_from: date | None = None, date_to: date | None = None
) -> dict[int, Outcome]:
    """Scans, referrals by source and cases opened, for each token (zeros where none).

    Give thousands of tokens as a queryset of their ids: the queries then use it as a subquery
    (see public.selectors.scan_counts)."""
    ids = list(token_ids)
    outcomes = {token_id: Outcome() for token_id in ids}
    if not ids:
        return outcomes
    wanted = token_ids if isinstance(token_ids, models.QuerySet) else ids
    for token_id, scans in scan_counts(
        token_ids=wanted, date_from=date_from, date_to=date_to
    ).items():
        outcomes[token_id].scans = scans

    referral = _referral_model()
    if referral is None:
        return outcomes
    start, end = _day_bounds(date_from, date_to)
    referrals = referral._default_manager.filter(landing_token_id__in=wanted)  # type: ignore[attr-defined]
    if start is not None:
        referrals = referrals.filter(created_at__gte=start)
    if end is not None:
        referrals = referrals.filter(created_at__lte=end)
    for row in referrals.values("landing_token_id", "source").annotate(total=Count("pk")):
        outcome = outcomes[row["landing_token_id"]]
        source = row["source"]
        if source == "self":
            outcome.self_referrals += row["total"]
        elif source == "public":
            outcome.public_referrals += row["total"]
        elif source == "partner":
            outcome.partner_referrals += row["total"]
    if _referral_has_case(referral):
        opened = referrals.filter(case__isnull=False).values_list("landing_token_id", "case_id")
        for token_id, case_id in opened:
            outcomes[token_id].case_keys.add(("case", case_id))
    else:
        # Until referrals carry their case, a referral accepted as a case stands for one.
        accepted = referrals.filter(status="accepted").values_list("landing_token_id", "pk")
        for token_id, referral_id in accepted:
            outcomes[token_id].case_keys.add(("referral", referral_id))
    return outcomes


def _combine(
    token_ids_by_key: dict[Any, list[int]], per_token: dict[int, Outcome]
) -> dict[Any, Outcome]:
    combined: dict[Any, Outcome] = {}
    for key, token_ids in token_ids_by_key.items():
        total = Outcome()
        for token_id in token_ids:
            total.add(per_token[token_id])
        combined[key] = total
    return combined


def _distributed_between(
    distributions: models.QuerySet[Distribution], date_from: date | None, date_to: date | None
) -> models.QuerySet[Distribution]:
    start, end = _day_bounds(date_from, date_to)
    if start is not None:
        distributions = distributions.filter(distributed_at__gte=start)
    if end is not None:
        distributions = distributions.filter(distributed_at__lte=end)
    return distributions


# --- Per point, edition, channel, campaign -------------------------------------------------


def attribution_by_point(
    *,
    points: models.QuerySet[DistributionPoint],
    date_from: date | None = None,
    date_to: date | None = None,
    organisation_ids: Iterable[int] | None = None,
) -> list[AttributionRow]:
    """One row a point. With organisation_ids, leaflets counted are those organisations' own."""
    # Values, not model instances: for 2,000 points, making the points and their areas (dates
    # and coordinates parsed) took longer than all the counting.
    point_list = list(points.values_list("pk", "name", "area__name"))
    point_ids = [pk for pk, _name, _area in point_list]
    # The points as a subquery, not thousands of ids (see token_outcomes).
    in_points = points.values("pk")
    leaflets = PointLeaflet.objects.filter(point__in=in_points)
    tokens: dict[int, list[int]] = defaultdict(list)
    for point_id, token_id in leaflets.values_list("point_id", "landing_token_id"):
        tokens[point_id].append(token_id)
    per_token = token_outcomes(
        token_ids=leaflets.values_list("landing_token_id", flat=True),
        date_from=date_from,
        date_to=date_to,
    )
    outcomes = _combine({pk: tokens.get(pk, []) for pk in point_ids}, per_token)

    distributions = _distributed_between(
        Distribution.objects.filter(point__in=in_points), date_from, date_to
    )
    if organisation_ids is not None:
        distributions = distributions.filter(organisation_id__in=list(organisation_ids))
    for row in distributions.values("point_id").annotate(total=Sum("quantity")):
        outcomes[row["point_id"]].distributed = row["total"] or 0
    return [
        AttributionRow(key=pk, label=name, detail=area, outcome=outcomes[pk])
        for pk, name, area in point_list
    ]


def attribution_by_edition(
    *,
    editions: models.QuerySet[LeafletEdition],
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[AttributionRow]:
    edition_list = list(editions)
    edition_ids = [e.pk for e in edition_list]
    leaflets = PointLeaflet.objects.filter(edition_id__in=edition_ids)
    tokens: dict[int, list[int]] = defaultdict(list)
    for edition_id, token_id in leaflets.values_list("edition_id", "landing_token_id"):
        tokens[edition_id].append(token_id)
    per_token = token_outcomes(
        token_ids=leaflets.values_list("landing_token_id", flat=True),
        date_from=date_from,
        date_to=date_to,
    )
    outcomes = _combine({pk: tokens.get(pk, []) for pk in edition_ids}, per_token)
    distributions = _distributed_between(
        Distribution.objects.filter(edition_id__in=edition_ids), date_from, date_to
    )
    for row in distributions.values("edition_id").annotate(total=Sum("quantity")):
        outcomes[row["edition_id"]].distributed = row["total"] or 0
    return [
        AttributionRow(
            key=e.pk, label=e.name, detail=str(e.get_language_display()), outcome=outcomes[e.pk]
        )
        for e in edition_list
    ]


def _posts_between(
    posts: models.QuerySet[AwarenessPost], date_from: date | None, date_to: date | None
) -> models.QuerySet[AwarenessPost]:
    if date_from is not None:
        posts = posts.filter(posted_on__gte=date_from)
    if date_to is not None:
        posts = posts.filter(posted_on__lte=date_to)
    return posts


def attribution_by_channel(
    *,
    channels: models.QuerySet[CommunityChannel],
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[AttributionRow]:
    """One row a channel; `distributed` is the posts' combined reach."""
    channel_list = list(channels)
    channel_ids = [c.pk for c in channel_list]
    tokens: dict[int, list[int]] = defaultdict(list)
    reach: dict[int, int] = defaultdict(int)
    for channel_id, token_id in AwarenessPost.objects.filter(
        channel_id__in=channel_ids
    ).values_list("channel_id", "landing_token_id"):
        tokens[channel_id].append(token_id)
    for channel_id, post_reach in _posts_between(
        AwarenessPost.objects.filter(channel_id__in=channel_ids), date_from, date_to
    ).values_list("channel_id", "reach"):
        reach[channel_id] += post_reach or 0
    per_token = token_outcomes(
        token_ids=[t for ids in tokens.values() for t in ids], date_from=date_from, date_to=date_to
    )
    outcomes = _combine({pk: tokens.get(pk, []) for pk in channel_ids}, per_token)
    for channel_id in channel_ids:
        outcomes[channel_id].distributed = reach[channel_id]
    return [
        AttributionRow(key=c.pk, label=c.name, detail=c.platform, outcome=outcomes[c.pk])
        for c in channel_list
    ]


def attribution_by_campaign(
    *,
    posts: models.QuerySet[AwarenessPost],
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[AttributionRow]:
    """One row a campaign name, over every channel it ran on."""
    tokens: dict[str, list[int]] = defaultdict(list)
    reach: dict[str, int] = defaultdict(int)
    channels: dict[str, set[int]] = defaultdict(set)
    for campaign, token_id, channel_id in posts.values_list(
        "campaign", "landing_token_id", "channel_id"
    ):
        tokens[campaign].append(token_id)
        channels[campaign].add(channel_id)
    for campaign, post_reach in _posts_between(posts, date_from, date_to).values_list(
        "campaign", "reach"
    ):
        reach[campaign] += post_reach or 0
    per_token = token_outcomes(
        token_ids=[t for ids in tokens.values() for t in ids], date_from=date_from, date_to=date_to
    )
    outcomes = _combine(dict(tokens), per_token)
    for campaign in outcomes:
        outcomes[campaign].distributed = reach[campaign]
    return [
        AttributionRow(
            key=campaign, label=campaign, detail=str(len(channels[campaign])), outcome=outcome
        )
        for campaign, outcome in sorted(outcomes.items())
    ]


# --- Lists ---------------------------------------------------------------------------------


def point_leaflets_with_scans(*, point: DistributionPoint) -> list[tuple[PointLeaflet, int]]:
    leaflets = list(
        PointLeaflet.objects.filter(point=point).select_related("edition", "landing_token")
    )
    scans = scan_counts(token_ids=[leaflet.landing_token_id for leaflet in leaflets])
    return [(leaflet, scans[leaflet.landing_token_id]) for leaflet in leaflets]


def posts_with_scans(*, channel: CommunityChannel) -> list[tuple[AwarenessPost, int]]:
    posts = list(channel.posts.select_related("landing_token"))
    scans = scan_counts(token_ids=[post.landing_token_id for post in posts])
    return [(post, scans[post.landing_token_id]) for post in posts]


def leaflets_distributed(*, distributions: models.QuerySet[Distribution]) -> int:
    return distributions.aggregate(total=Sum("quantity"))["total"] or 0


def region_for_landing_token(*, token_id: int) -> Region | None:
    """The region a leaflet's or post's token belongs to: where a referral through it is routed
    when the visitor names no town."""
    leaflet = (
        PointLeaflet.objects.filter(landing_token_id=token_id)
        .select_related("point__area__region")
        .first()
    )
    if leaflet is not None:
        return leaflet.point.area.region
    post = AwarenessPost.objects.filter(landing_token_id=token_id).select_related("channel__region")
    found = post.first()
    return found.channel.region if found is not None else None


# --- Places offered on the record form -------------------------------------------------------

# Up to this many places in a volunteer's areas, "Where" lists them all. Beyond, a list is no
# use on a phone (and 2,000 of them took 0.3 s to render): the form offers the places a search
# finds, or else the places the volunteer recorded at last.
PLACES_LISTED = 40
RECENT_PLACES = 8


def places_to_offer(
    *,
    points: models.QuerySet[DistributionPoint],
    recorded_by: User,
    query: str,
    chosen_ids: Iterable[int],
) -> list[DistributionPoint] | None:
    """The places to offer as answers to "Where", or None when all of `points` fit in a list.

    `chosen_ids` (the place already chosen, or the last one used) are offered as well, first."""
    if points.count() <= PLACES_LISTED:
        return None
    if query:
        found = list(
            points.filter(
                models.Q(name__icontains=query) | models.Q(area__name__icontains=query)
            ).order_by("name", "pk")[:PLACES_LISTED]
        )
    else:
        recent = (
            Distribution.objects.filter(recorded_by=recorded_by, point__in=points)
            .order_by("-created_at")
            .values_list("point_id", flat=True)[: RECENT_PLACES * 10]
        )
        recent_ids = list(dict.fromkeys(recent))[:RECENT_PLACES]
        by_id = {point.pk: point for point in points.filter(pk__in=recent_ids)}
        found = [by_id[pk] for pk in recent_ids if pk in by_id]
    offered = {point.pk for point in found}
    missing = [pk for pk in chosen_ids if pk not in offered]
    chosen = list(points.filter(pk__in=missing)) if missing else []
    return chosen + found
