"""Staff pages of insights: the dashboard, chart downloads, partner figures and statistics."""

from __future__ import annotations

import calendar
import datetime
import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from signpost.core import access as core_access
from signpost.core.audit import audit_record
from signpost.core.decorators import reauthentication_required
from signpost.core.models import AuditEvent, Region, User
from signpost.insights import access, dashboard, pdf, selectors, services, statistics, tasks
from signpost.insights.csvfiles import csv_response
from signpost.insights.forms import DashboardFilterForm, StatisticsQuarterForm

GEOJSON = Path(__file__).resolve().parent / "static" / "insights" / "west-midlands-areas.geojson"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _deny(request: HttpRequest) -> Any:
    core_access.deny(user=_user(request), target_type="view", target_id=request.path)


@lru_cache(maxsize=1)
def area_shapes() -> dict[str, Any]:
    """Rough outlines of the West Midlands reporting areas, keyed by lower-case name."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return {feature["properties"]["name"].lower(): feature for feature in data["features"]}


def _tile_origin(tile_url: str) -> str:
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _map_data(chart: dashboard.Chart, areas: dict[int, str]) -> dict[str, Any]:
    shapes = area_shapes()
    counts = {str(row[0]): row[1] for row in chart.rows}
    features = []
    # Only the areas in the table (the filter's), each drawn whole: counts, never places.
    for name in areas.values():
        shape = shapes.get(name.lower())
        if shape is not None and name in counts:
            features.append(
                {
                    "type": "Feature",
                    "geometry": shape["geometry"],
                    "properties": {"name": name, "count": counts.get(name, 0)},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _period_dates(period: dashboard.Period) -> tuple[datetime.date, datetime.date]:
    last_day = calendar.monthrange(period.end.year, period.end.month)[1]
    return period.start, period.end.replace(day=last_day)


def _outreach_tables(
    scope: access.DashboardScope, period: dashboard.Period, area_id: int | None
) -> list[tuple[str, str, list[str], list[list[Any]]]]:
    from signpost.outreach import selectors as outreach
    from signpost.outreach.models import (
        AwarenessPost,
        CommunityChannel,
        DistributionPoint,
        LeafletEdition,
    )

    date_from, date_to = _period_dates(period)
    points = DistributionPoint.objects.filter(area__region_id=scope.region_id)
    if area_id is not None:
        points = points.filter(area_id=area_id)
    measures = [_("Scans"), _("Referrals"), _("Cases opened")]

    def rows(attribution: list[Any]) -> list[list[Any]]:
        return [
            [
                row.label,
                row.detail,
                row.outcome.distributed,
                row.outcome.scans,
                row.outcome.referrals,
                row.outcome.cases,
            ]
            for row in attribution
        ]

    return [
        (
            "outreach-points",
            _("Outreach by distribution point"),
            [_("Place"), _("Area"), _("Leaflets distributed"), *measures],
            rows(
                outreach.attribution_by_point(points=points, date_from=date_from, date_to=date_to)
            ),
        ),
        (
            "outreach-editions",
            _("Outreach by leaflet edition and language"),
            [_("Edition"), _("Language"), _("Leaflets distributed"), *measures],
            rows(
                outreach.attribution_by_edition(
                    editions=LeafletEdition.objects.filter(region_id=scope.region_id),
                    date_from=date_from,
                    date_to=date_to,
                )
            ),
        ),
        (
            "outreach-channels",
            _("Outreach by community channel"),
            [_("Channel"), _("Platform"), _("Reach"), *measures],
            rows(
                outreach.attribution_by_channel(
                    channels=CommunityChannel.objects.filter(region_id=scope.region_id),
                    date_from=date_from,
                    date_to=date_to,
                )
            ),
        ),
        (
            "outreach-campaigns",
            _("Outreach by campaign"),
            [_("Campaign"), _("Channels"), _("Reach"), *measures],
            rows(
                outreach.attribution_by_campaign(
                    posts=AwarenessPost.objects.filter(channel__region_id=scope.region_id),
                    date_from=date_from,
                    date_to=date_to,
                )
            ),
        ),
    ]


def _dashboard_figures(request: HttpRequest) -> tuple[dict[str, Any], list[dashboard.Chart]]:
    user = _user(request)
    region_ids = access.dashboard_region_ids(user)
    region_id = access.chosen_region(region_ids, request.GET.get("region"))
    scope = access.dashboard_scope(user, region_id) if region_id else None
    if scope is None:
        _deny(request)
        raise AssertionError  # unreachable: deny raises
    region_areas = {area.pk: area.name for area in selectors.areas_of([scope.region_id])}
    areas = (
        region_areas
        if scope.area_ids is None
        else {pk: name for pk, name in region_areas.items() if pk in scope.area_ids}
    )
    asked_area = request.GET.get("area") or ""
    if asked_area and not (asked_area.isdigit() and int(asked_area) in areas):
        # Another region's area, or one outside the user's own: as if it did not exist.
        _deny(request)
    form = DashboardFilterForm(request.GET or None, areas=areas)
    period = dashboard.default_period(timezone.localdate())
    area_id = None
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
        area_id = form.cleaned_data["area"]
    charts = dashboard.build(scope=scope, period=period, area_id=area_id, areas=areas)
    if scope.shows("caseload"):
        charts.append(
            dashboard.caseload_chart(
                selectors.caseload(
                    region_id=scope.region_id, area_ids=[area_id] if area_id else None
                )
            )
        )
    if scope.shows("outreach"):
        charts.extend(dashboard.outreach_charts(_outreach_tables(scope, period, area_id)))
    context = {
        "scope": scope,
        "form": form,
        "period": period,
        "area_id": area_id,
        "areas": areas,
        "region": selectors.region(scope.region_id),
        "other_regions": _other_regions(region_ids, scope.region_id),
    }
    return context, charts


def _other_regions(region_ids: list[int], shown: int) -> list[Region]:
    """The user's other regions, to switch to (most users have one, and see nothing here)."""
    return [selectors.region(pk) for pk in region_ids if pk != shown]


@require_GET
@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    context, charts = _dashboard_figures(request)
    scope: access.DashboardScope = context["scope"]
    user = _user(request)
    overdue: list[selectors.OverdueReferral] = []
    overdue_total = 0
    if scope.shows("overdue"):
        overdue, overdue_total = selectors.overdue_referrals(
            region_id=scope.region_id,
            area_ids=[context["area_id"]] if context["area_id"] else scope.area_ids,
        )
    bands = dashboard.band_labels()
    for item in overdue:
        item.risk_band = bands.get(item.risk_band, item.risk_band)
    map_chart = next((chart for chart in charts if chart.kind == "map"), None)
    sections = [
        (key, label, [chart for chart in charts if chart.section == key])
        for key, label in dashboard.SECTIONS.items()
    ]
    tile_url = getattr(settings, "MAP_TILE_URL", "") or ""
    query = request.GET.urlencode()
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        target_type="insights.dashboard",
        target_id=str(scope.region_id),
        region=context["region"],
        details={"overdue_shown": len(overdue)},
    )
    response = render(
        request,
        "insights/dashboard.html",
        {
            **context,
            "sections": [section for section in sections if section[2]],
            "chart_data": {chart.slug: chart.data() for chart in charts if chart.kind != "map"},
            "map_data": _map_data(map_chart, context["areas"]) if map_chart else None,
            "tile_url": tile_url,
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
            "query": f"?{query}" if query else "",
            "overdue": overdue,
            "overdue_total": overdue_total,
            "state": selectors.summary_state(region_id=scope.region_id),
            "may_refresh": core_access.has_role(user, "lead"),
        },
    )
    origin = _tile_origin(tile_url)
    if origin:
        # Map tiles are the one image source beyond the site itself, and only on this page.
        response._csp_update = {"img-src": [origin]}  # type: ignore[attr-defined]
    return response


@require_GET
@login_required
def chart_csv(request: HttpRequest, slug: str) -> HttpResponse:
    context, charts = _dashboard_figures(request)
    chart = next((chart for chart in charts if chart.slug == slug), None)
    if chart is None:
        _deny(request)
        raise AssertionError
    period: dashboard.Period = context["period"]
    audit_record(
        actor=_user(request),
        action=AuditEvent.Action.EXPORT,
        target_type="insights.chart",
        target_id=slug,
        region=context["region"],
        details={
            "start": period.start.strftime("%Y-%m"),
            "end": period.end.strftime("%Y-%m"),
            "area_id": context["area_id"],
        },
    )
    filename = f"{slug}-{period.start:%Y-%m}-{period.end:%Y-%m}.csv"
    return csv_response(filename, chart.headers, chart.rows)


@require_POST
@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    """A lead asks the worker to rebuild the region's figures now rather than on its schedule."""
    user = _user(request)
    region_ids = core_access.region_ids_for(user, "lead")
    if not region_ids:
        _deny(request)
    for region_id in sorted(region_ids):
        tasks.refresh_region_summaries.enqueue(region_id=region_id)
    messages.success(request, _("The figures are being brought up to date."))
    return redirect("insights:dashboard")


# --- Partner coordinators ----------------------------------------------------------------------


def _quarter_from(request: HttpRequest) -> tuple[StatisticsQuarterForm, tuple[int, int]]:
    form = StatisticsQuarterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["quarter"]
    last_ended = statistics.parse_quarter(statistics.quarter_choices()[0][0])
    return form, last_ended or (timezone.localdate().year - 1, 4)


def _partner_tables(request: HttpRequest) -> tuple[Any, tuple[int, int], list[dict[str, Any]]]:
    organisations = access.coordinated_organisations(_user(request))
    if not organisations:
        _deny(request)
    form, (year, quarter) = _quarter_from(request)
    tables = []
    for region_id in sorted({region for _org, region in organisations}):
        tables += statistics.partner_tables(
            region_id=region_id,
            organisation_ids=[org for org, region in organisations if region == region_id],
            year=year,
            quarter=quarter,
        )
    return form, (year, quarter), tables


def _partner_attribution(request: HttpRequest) -> dict[str, Any]:
    from signpost.outreach import selectors as outreach
    from signpost.outreach.models import DistributionPoint

    organisation_ids = [org for org, _region in access.coordinated_organisations(_user(request))]
    points = DistributionPoint.objects.filter(
        distributions__organisation_id__in=organisation_ids
    ).distinct()
    rows = outreach.attribution_by_point(points=points, organisation_ids=organisation_ids)
    names = ["distributed", "scans", "referrals", "cases"]
    cells = {(row.key, name): getattr(row.outcome, name) for row in rows for name in names}
    return statistics.build_table(
        title=_("Your leaflets: what came of them, by place"),
        row_heading=_("Place"),
        rows=[(row.key, f"{row.label} ({row.detail})") for row in rows],
        columns=[
            ("distributed", _("Leaflets distributed")),
            ("scans", _("Scans")),
            ("referrals", _("Referrals")),
            ("cases", _("Cases opened")),
        ],
        counts=cells,
        columns_independent=True,
    )


@require_GET
@login_required
def partner(request: HttpRequest) -> HttpResponse:
    form, (year, quarter), tables = _partner_tables(request)
    attribution = _partner_attribution(request)
    return render(
        request,
        "insights/partner.html",
        {
            "form": form,
            "label": f"{year} Q{quarter}",
            "tables": tables,
            "attribution": attribution,
            "query": f"?quarter={year}-{quarter}",
        },
    )


@require_GET
@login_required
def partner_csv(request: HttpRequest) -> HttpResponse:
    _form, (year, quarter), tables = _partner_tables(request)
    tables = [*tables, _partner_attribution(request)]
    audit_record(
        actor=_user(request),
        action=AuditEvent.Action.EXPORT,
        target_type="insights.partner_statistics",
        target_id=f"{year}-{quarter}",
    )
    header, rows = statistics.csv_rows(tables)
    return csv_response(f"partner-figures-{year}-Q{quarter}.csv", header, rows)


# --- Statistics ----------------------------------------------------------------------------


def _statistics_region(request: HttpRequest) -> Region:
    region_id = access.chosen_region(
        access.statistics_region_ids(_user(request)),
        request.GET.get("region") or request.POST.get("region"),
    )
    if region_id is None:
        _deny(request)
        raise AssertionError  # unreachable: deny raises
    return selectors.region(region_id)


def _quarter_tables(region: Region, year: int, quarter: int) -> list[dict[str, Any]]:
    # Published figures carry their labels in the site's default language, for everyone.
    with translation.override(settings.LANGUAGE_CODE):
        return statistics.quarter_tables(region_id=region.pk, year=year, quarter=quarter)


@require_GET
@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    region = _statistics_region(request)
    form, (year, quarter) = _quarter_from(request)
    tables = statistics.quarter_tables(region_id=region.pk, year=year, quarter=quarter)
    from signpost.insights.models import PublishedReport

    return render(
        request,
        "insights/statistics.html",
        {
            "region": region,
            "form": form,
            "year": year,
            "quarter": quarter,
            "label": f"{year} Q{quarter}",
            "tables": tables,
            "query": f"?quarter={year}-{quarter}&region={region.pk}",
            "other_regions": _other_regions(
                access.statistics_region_ids(_user(request)), region.pk
            ),
            "may_publish": access.may_publish(_user(request), region.pk),
            "published": PublishedReport.objects.filter(region=region).order_by(
                "-year", "-quarter"
            ),
            "already_published": PublishedReport.objects.filter(
                region=region, year=year, quarter=quarter
            ).exists(),
        },
    )


def _export_audit(request: HttpRequest, region: Region, year: int, quarter: int, kind: str) -> None:
    audit_record(
        actor=_user(request),
        action=AuditEvent.Action.EXPORT,
        target_type="insights.statistics",
        target_id=f"{year}-{quarter}",
        region=region,
        details={"format": kind},
    )


@require_GET
@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    region = _statistics_region(request)
    _form, (year, quarter) = _quarter_from(request)
    tables = statistics.quarter_tables(region_id=region.pk, year=year, quarter=quarter)
    _export_audit(request, region, year, quarter, "csv")
    header, rows = statistics.csv_rows(tables)
    return csv_response(f"statistics-{region.slug}-{year}-Q{quarter}.csv", header, rows)


@require_GET
@login_required
def statistics_pdf(request: HttpRequest) -> HttpResponse:
    region = _statistics_region(request)
    _form, (year, quarter) = _quarter_from(request)
    tables = statistics.quarter_tables(region_id=region.pk, year=year, quarter=quarter)
    _export_audit(request, region, year, quarter, "pdf")
    return pdf.pdf_response(
        filename=f"statistics-{region.slug}-{year}-Q{quarter}.pdf",
        region=region,
        label=f"{year} Q{quarter}",
        tables=tables,
    )


@require_http_methods(["GET", "POST"])
@reauthentication_required
def statistics_publish(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = _statistics_region(request)
    if not access.may_publish(user, region.pk):
        _deny(request)
    form = StatisticsQuarterForm(request.POST if request.method == "POST" else request.GET or None)
    if request.method == "POST" and form.is_valid():
        year, quarter = form.cleaned_data["quarter"]
        try:
            services.statistics_publish(
                region=region,
                year=year,
                quarter=quarter,
                tables=_quarter_tables(region, year, quarter),
                by=user,
            )
        except ValidationError as error:
            form.add_error("quarter", error)
        else:
            messages.success(
                request,
                _("The statistics for %(quarter)s are published.")
                % {"quarter": f"{year} Q{quarter}"},
            )
            return redirect(
                f"{reverse('insights:statistics')}?quarter={year}-{quarter}&region={region.pk}"
            )
    label = ""
    if form.is_bound and form.is_valid():
        year, quarter = form.cleaned_data["quarter"]
        label = f"{year} Q{quarter}"
    return render(
        request, "insights/publish.html", {"form": form, "region": region, "label": label}
    )
