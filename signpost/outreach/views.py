"""Outreach pages for signed-in users. Every object comes through signpost.outreach.access."""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from signpost.core import access as core_access
from signpost.core.forms import form_show_service_error
from signpost.core.models import Area, User
from signpost.outreach import access, selectors, services
from signpost.outreach.forms import (
    AttributionFilterForm,
    ChannelForm,
    DistributionForm,
    EditionCreateForm,
    EditionTextForm,
    LeafletGenerateForm,
    PointForm,
    PostForm,
)
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    Distribution,
    DistributionPoint,
    LeafletEdition,
    PointKind,
)
from signpost.outreach.pdf import LAYOUTS, render_leaflet_pdf

POINTS_PER_PAGE = 100
RESULT_PLACES_PER_PAGE = 50
PLACE_QUERY_MAX = 80  # characters of a search for a place that are looked for
ID_DIGITS_MAX = 18  # a posted id with more digits is no row's (and overflows SQLite's integers)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _deny(request: HttpRequest) -> None:
    core_access.deny(user=_user(request), target_type="view", target_id=request.path)


# --- Distribution log ----------------------------------------------------------------------


@login_required
def distribution_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_record_distributions(user):
        _deny(request)
    points = access.points_for_recording(user)
    editions = access.editions_for_recording(user)
    last = Distribution.objects.filter(recorded_by=user).order_by("-created_at").first()
    query = request.GET.get("q", "").strip()[:PLACE_QUERY_MAX]
    chosen = request.POST.get("point", "") if request.method == "POST" else ""
    if chosen.isdigit() and len(chosen) <= ID_DIGITS_MAX:
        chosen_ids = [int(chosen)]
    else:
        chosen_ids = [last.point_id] if last is not None and not query else []
    places_offered = selectors.places_to_offer(
        points=points, recorded_by=user, query=query, chosen_ids=chosen_ids
    )
    form = DistributionForm(
        request.POST or None, points=points, editions=editions, places_offered=places_offered
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            distribution = services.distribution_record(
                point=data["point"],
                edition=data["edition"],
                quantity=data["quantity"],
                method=data["method"],
                distributed_at=data["distributed_at"],
                by=user,
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Recorded: %(quantity)s leaflet at %(point)s.",
                    "Recorded: %(quantity)s leaflets at %(point)s.",
                    distribution.quantity,
                )
                % {"quantity": distribution.quantity, "point": distribution.point.name},
            )
            return redirect("outreach:distribution_create")
    if request.method != "POST" and last is not None:
        # The next entry is most likely the same place and leaflet as the last one.
        if points.filter(pk=last.point_id).exists():
            form.initial["point"] = last.point_id
        if editions.filter(pk=last.edition_id).exists():
            form.initial["edition"] = last.edition_id
    return render(
        request,
        "outreach/distribution_form.html",
        {
            "form": form,
            "has_points": points.exists(),
            "has_editions": editions.exists(),
            "searching_places": places_offered is not None,
            "query": query,
        },
    )


@login_required
def distribution_log(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_see_log(user):
        _deny(request)
    distributions = access.distributions_visible_to(user)
    page = Paginator(distributions, 50).get_page(request.GET.get("page"))
    removable_by_lead = access.manage_region_ids(user)
    for entry in page:
        entry.removable = (  # type: ignore[attr-defined]
            entry.recorded_by_id == user.pk or entry.point.area.region_id in removable_by_lead
        )
    return render(
        request,
        "outreach/distribution_log.html",
        {
            "page": page,
            "total": selectors.leaflets_distributed(distributions=distributions),
            "is_staff_view": access.is_charity_staff(user),
            "coordinated": access.coordinated_organisations(user),
            "may_record": access.may_record_distributions(user),
            "may_see_attribution": access.may_see_attribution(user),
        },
    )


@login_required
@require_POST
def distribution_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    distribution = access.distribution_for_removal(user, pk)
    services.distribution_remove(distribution=distribution, by=user)
    messages.success(request, _("The entry was removed."))
    return redirect("outreach:distribution_log")


# --- Distribution points and the map -------------------------------------------------------


def _tile_origin(tile_url: str) -> str:
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (access.is_charity_staff(user) or access.is_configurer(user)):
        _deny(request)
    points = access.points_visible_to(user).order_by("area__region__name", "area__name", "name")
    # The table pages through the places; the map (when there is one) shows them all.
    page = Paginator(points.select_related("area"), POINTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    tile_url = getattr(settings, "MAP_TILE_URL", "") or ""
    kinds = dict(PointKind.choices)
    response = render(
        request,
        "outreach/point_list.html",
        {
            "page": page,
            "map_points": [
                {
                    "name": name,
                    "kind": str(kinds.get(kind, kind)),
                    "area": area,
                    "lat": float(latitude),
                    "lng": float(longitude),
                }
                for name, kind, area, latitude, longitude in points.values_list(
                    "name", "kind", "area__name", "latitude", "longitude"
                )
            ]
            if tile_url
            else [],
            "tile_url": tile_url,
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
            "may_manage": access.is_configurer(user) or bool(access.manage_region_ids(user)),
        },
    )
    origin = _tile_origin(tile_url)
    if origin:
        # Map tiles are the one image source beyond the site itself, and only on this page.
        response._csp_update = {"img-src": [origin]}  # type: ignore[attr-defined]
    return response


def _areas_for(user: User) -> Any:
    if access.is_configurer(user):
        return Area.objects.select_related("region").order_by("region__name", "name")
    return Area.objects.filter(region_id__in=access.manage_region_ids(user)).select_related(
        "region"
    )


@login_required
def point_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (access.is_configurer(user) or access.manage_region_ids(user)):
        _deny(request)
    form = PointForm(request.POST or None, areas=_areas_for(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            point = services.point_create(
                area=data["area"],
                name=data["name"],
                kind=data["kind"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                by=user,
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The place was added."))
            return redirect("outreach:point_detail", pk=point.pk)
    return render(request, "outreach/point_form.html", {"form": form, "point": None})


@login_required
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point = access.point_for_managing(user, pk)
    areas = Area.objects.filter(region_id=point.area.region_id)
    form = PointForm(request.POST or None, instance=point, areas=areas)
    if request.method == "POST" and form.is_valid():
        original = DistributionPoint.objects.get(pk=point.pk)
        try:
            services.point_update(
                point=original,
                by=user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The place was saved."))
            return redirect("outreach:point_detail", pk=point.pk)
    return render(request, "outreach/point_form.html", {"form": form, "point": point})


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point = access.point_for_viewing(user, pk)
    may_generate = access.may_generate_leaflets(user, point)
    editions = LeafletEdition.objects.filter(region_id=point.area.region_id, is_current=True)
    figures = []
    # Admins configure places; what came of them is for the charity's staff.
    if access.is_charity_staff(user):
        (row,) = selectors.attribution_by_point(
            points=DistributionPoint.objects.filter(pk=point.pk)
        )
        cells = selectors.table_cells(row, shared_outside=False)
        figures = [
            (name, label, cell)
            for (name, label), cell in zip(selectors.COLUMNS, cells, strict=True)
        ]
    return render(
        request,
        "outreach/point_detail.html",
        {
            "point": point,
            "leaflets": selectors.point_leaflets_with_scans(point=point),
            "figures": figures,
            "may_generate": may_generate,
            "may_edit": may_generate,
            "generate_form": LeafletGenerateForm(editions=editions) if may_generate else None,
            "layouts": LAYOUTS,
        },
    )


@login_required
@require_POST
def leaflet_generate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point = access.point_for_managing(user, pk)
    editions = LeafletEdition.objects.filter(region_id=point.area.region_id, is_current=True)
    form = LeafletGenerateForm(request.POST, editions=editions)
    if form.is_valid():
        leaflet = services.point_leaflet_generate(
            point=point, edition=form.cleaned_data["edition"], by=user
        )
        messages.success(
            request,
            _("The %(edition)s leaflet for this place is ready to download.")
            % {"edition": str(leaflet.edition)},
        )
    else:
        messages.error(request, _("Choose an edition that is in use in this region."))
    return redirect("outreach:point_detail", pk=point.pk)


@login_required
def leaflet_pdf(request: HttpRequest, pk: int, layout: str) -> HttpResponse:
    user = _user(request)
    leaflet = access.point_leaflet_for_download(user, pk)
    if layout not in LAYOUTS:
        _deny(request)
    pdf = render_leaflet_pdf(leaflet=leaflet, layout=layout)
    services.leaflet_export_record(leaflet=leaflet, layout=layout, by=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="leaflet-{leaflet.pk}-{leaflet.edition.language}-{layout}.pdf"'
    )
    return response


# --- Leaflet editions ----------------------------------------------------------------------


def _may_configure_editions(user: User) -> bool:
    return access.is_configurer(user) or bool(access.manage_region_ids(user))


@login_required
def edition_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_configure_editions(user):
        _deny(request)
    return render(
        request,
        "outreach/edition_list.html",
        {"editions": access.editions_manageable_by(user)},
    )


@login_required
def edition_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_configure_editions(user):
        _deny(request)
    form = EditionCreateForm(request.POST or None, regions=access.regions_configurable_by(user))
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(
                request, _("The edition was created with the shipped text. Check it and save.")
            )
            return redirect("outreach:edition_edit", pk=edition.pk)
    return render(request, "outreach/edition_create.html", {"form": form})


@login_required
def edition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    edition = access.edition_for_managing(user, pk)
    if request.method == "POST" and "reset" in request.POST:
        services.edition_text_reset(edition=edition, by=user)
        messages.success(request, _("The shipped text is back."))
        return redirect("outreach:edition_edit", pk=edition.pk)
    form = EditionTextForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        original = LeafletEdition.objects.get(pk=edition.pk)
        try:
            services.edition_update(
                edition=original,
                by=user,
                **{name: form.cleaned_data[name] for name in EditionTextForm.Meta.fields},
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The edition was saved."))
            return redirect("outreach:edition_list")
    return render(request, "outreach/edition_edit.html", {"form": form, "edition": edition})


# --- Community channels and awareness posts ------------------------------------------------


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.is_charity_staff(user):
        _deny(request)
    return render(
        request,
        "outreach/channel_list.html",
        {
            "channels": access.channels_visible_to(user),
            "may_manage": bool(access.manage_region_ids(user)),
        },
    )


@login_required
def channel_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    regions = access.manage_region_ids(user)
    if not regions:
        _deny(request)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A lead's channels belong to the region they lead (the first, if several).
        region = core_access.memberships_with(user, *access.MANAGE_ROLES)[0].region
        try:
            channel = services.channel_create(region=region, by=user, **form.cleaned_data)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The channel was added."))
            return redirect("outreach:channel_detail", pk=channel.pk)
    return render(request, "outreach/channel_form.html", {"form": form, "channel": None})


@login_required
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    channel = access.channel_for_viewing(user, pk)
    if channel.contact_person:
        services.channel_contact_view_record(channel=channel, by=user)
    may_manage = channel.region_id in access.manage_region_ids(user)
    return render(
        request,
        "outreach/channel_detail.html",
        {
            "channel": channel,
            "posts": selectors.posts_with_scans(channel=channel),
            "may_manage": may_manage,
            "site_url": settings.SITE_URL,
        },
    )


@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    channel = access.channel_for_managing(user, pk)
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        original = CommunityChannel.objects.get(pk=channel.pk)
        try:
            services.channel_update(channel=original, by=user, **form.cleaned_data)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The channel was saved."))
            return redirect("outreach:channel_detail", pk=channel.pk)
    elif request.method != "POST" and channel.contact_person:
        services.channel_contact_view_record(channel=channel, by=user)
    return render(request, "outreach/channel_form.html", {"form": form, "channel": channel})


@login_required
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    channel = access.channel_for_managing(user, pk)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_create(channel=channel, by=user, **form.cleaned_data)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The post was added with its own link."))
            return redirect("outreach:channel_detail", pk=channel.pk)
    return render(request, "outreach/post_form.html", {"form": form, "channel": channel})


@login_required
def post_edit(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """Mostly to add the reach once the post has run."""
    user = _user(request)
    channel = access.channel_for_managing(user, pk)
    post = core_access.get_or_deny(
        channel.posts.all(), user=user, pk=post_pk, target_type="outreach.awarenesspost"
    )
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        original = AwarenessPost.objects.get(pk=post.pk)
        try:
            services.post_update(post=original, by=user, **form.cleaned_data)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("The post was saved."))
            return redirect("outreach:channel_detail", pk=channel.pk)
    return render(
        request, "outreach/post_form.html", {"form": form, "channel": channel, "post": post}
    )


# --- Attribution ---------------------------------------------------------------------------


@login_required
def attribution(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_see_attribution(user):
        _deny(request)
    region_ids, organisation_ids = access.attribution_scope(user)
    form = AttributionFilterForm(request.GET or None)
    period: dict[str, Any] = {}
    if form.is_valid():
        period = {
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    shared_outside = not region_ids
    leaflets, reach = _("Leaflets distributed"), _("Reach")
    if region_ids:
        tables = [
            (
                _("By distribution point"),
                (_("Place"), _("Area"), leaflets),
                selectors.attribution_by_point(
                    points=DistributionPoint.objects.filter(area__region_id__in=region_ids),
                    **period,
                ),
            ),
            (
                _("By leaflet edition"),
                (_("Edition"), _("Language"), leaflets),
                selectors.attribution_by_edition(
                    editions=LeafletEdition.objects.filter(region_id__in=region_ids), **period
                ),
            ),
            (
                _("By community channel"),
                (_("Channel"), _("Platform"), reach),
                selectors.attribution_by_channel(
                    channels=access.channels_visible_to(user), **period
                ),
            ),
            (
                _("By campaign"),
                (_("Campaign"), _("Channels"), reach),
                selectors.attribution_by_campaign(posts=access.posts_visible_to(user), **period),
            ),
        ]
    else:
        # Found once: the counts use the points as a subquery several times, and finding them
        # among the organisations' distributions each time cost more than all the counting.
        point_ids = (
            Distribution.objects.filter(organisation_id__in=organisation_ids)
            .order_by()
            .values_list("point_id", flat=True)
            .distinct()
        )
        points = DistributionPoint.objects.filter(pk__in=list(point_ids))
        tables = [
            (
                _("By distribution point"),
                (_("Place"), _("Area"), leaflets),
                selectors.attribution_by_point(
                    points=points, organisation_ids=organisation_ids, **period
                ),
            )
        ]
    # Places can be thousands: those with most to show come first, a page at a time.
    point_title, point_headers, point_rows = tables[0]
    point_rows.sort(key=partial(selectors.most_results_first, shared_outside=shared_outside))
    places = Paginator(point_rows, RESULT_PLACES_PER_PAGE).get_page(request.GET.get("page"))
    tables[0] = (point_title, point_headers, list(places))
    later_headers = [label for _name, label in selectors.COLUMNS[1:]]
    return render(
        request,
        "outreach/attribution.html",
        {
            "form": form,
            "shared_outside": shared_outside,
            "tables": [
                {
                    "title": title,
                    "headers": [name_label, detail_label, first_count, *later_headers],
                    "rows": [
                        (row, selectors.table_cells(row, shared_outside=shared_outside))
                        for row in rows
                    ],
                    "page": places if index == 0 else None,
                }
                for index, (title, (name_label, detail_label, first_count), rows) in enumerate(
                    tables
                )
            ],
            "page_query": _query_without_page(request),
            "organisations": access.coordinated_organisations(user),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    """The request's query string (the period shown) for page links, which add the page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
