"""Staff pages for advert intelligence (journey 5). Every page with advert contents is
audited; advert text is hostile input and is only ever rendered escaped."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from signpost.adverts import access, services
from signpost.adverts.extraction import uk_towns
from signpost.adverts.forms import SearchForm, UploadForm
from signpost.adverts.indicators import catalogue, highlight_segments, ranked, sources
from signpost.adverts.models import Advert
from signpost.adverts.selectors import adverts_with_identifier, group_adverts
from signpost.adverts.tasks import import_job_task
from signpost.core import access as core_access
from signpost.core.models import User

SEARCH_RESULTS = 100
STRUCTURAL_CODES = ("circuit", "shared_template", "multiple_women")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_reader(request: HttpRequest) -> User:
    user = _user(request)
    if not access.may_read(user):
        core_access.deny(user=user, target_type="view", target_id=request.path)
    return user


def _require_uploader(request: HttpRequest) -> User:
    user = _user(request)
    if not access.may_upload(user):
        core_access.deny(user=user, target_type="view", target_id=request.path)
    return user


def _reasons(codes: dict[str, int]) -> list[dict[str, Any]]:
    known_sources = sources()
    rows = ranked(codes)
    for row in rows:
        row["sources"] = [known_sources[key] for key in row["indicator"].sources]
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search by contact (blind index), town or indicator. POST: no search terms in URLs."""
    user = _require_reader(request)
    form = SearchForm(request.POST if request.method == "POST" else None)
    results: list[Advert] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adverts = access.adverts_for(user)
        for kind in ("phone", "email", "handle"):
            if data[kind]:
                adverts = adverts_with_identifier(adverts, kind=kind, value=data[kind])
        if data["town"]:
            adverts = adverts.filter(town=data["town"])
        if data["indicator"]:
            adverts = adverts.filter(indicator_hits__has_key=data["indicator"])
        results = list(
            adverts.select_related("group").order_by("-posted_at", "-id")[:SEARCH_RESULTS]
        )
        services.search_record(by=user, region=None, results=len(results))
    names = {code: item.name for code, item in catalogue().items()}
    rows = [
        {"advert": advert, "indicators": [names[c] for c in advert.indicator_hits if c in names]}
        for advert in results or []
    ]
    return render(
        request,
        "adverts/search.html",
        {"form": form, "results": rows, "searched": results is not None, "limit": SEARCH_RESULTS},
    )


@login_required
def advert_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _require_reader(request)
    advert = access.advert_for(user, public_id)
    services.advert_view_record(advert=advert, by=user)
    record, extracted = advert.record, advert.extracted
    hits = dict(advert.indicator_hits)
    codes = {code: len(spans) for code, spans in hits.items()}
    group_codes: dict[str, int] = {}
    if advert.group is not None:
        group_codes = {
            code: count
            for code, count in advert.group.indicator_counts.items()
            if code in STRUCTURAL_CODES
        }
    known = catalogue()
    alerts = access.alerts_for(user).filter(advert=advert).select_related("case", "referral")
    return render(
        request,
        "adverts/advert_detail.html",
        {
            "advert": advert,
            "record": record,
            "extracted": extracted,
            "segments": highlight_segments(advert.text, hits),
            "reasons": _reasons(codes),
            "group_reasons": _reasons(group_codes),
            "indicator_names": {code: item.name for code, item in known.items()},
            "alerts": alerts,
        },
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    user = _require_reader(request)
    groups = access.groups_for(user).filter(advert_count__gte=2)
    page = Paginator(groups, 25).get_page(request.GET.get("page"))
    rows = [{"group": group, "reasons": ranked(group.indicator_counts)} for group in page]
    return render(request, "adverts/group_list.html", {"page": page, "rows": rows})


def _map_points(towns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Towns placed on a plain SVG outline of Great Britain (no third-party map tiles)."""
    west, east, south, north = -8.2, 1.8, 49.9, 58.7
    points = []
    for visit in towns:
        if "latitude" not in visit:
            continue
        x = (visit["longitude"] - west) / (east - west) * 300
        y = (north - visit["latitude"]) / (north - south) * 400
        points.append({**visit, "x": round(x, 1), "y": round(y, 1)})
    return points


@login_required
def group_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _require_reader(request)
    group = access.group_for(user, public_id)
    services.group_view_record(group=group, by=user)
    summary = group.summary
    adverts = list(group_adverts(group))
    by_public_id = {advert.public_id: advert for advert in adverts}
    duplicates = []
    for first_id, second_id in summary.get("near_duplicates", []):
        first, second = by_public_id.get(first_id), by_public_id.get(second_id)
        if first and second:
            duplicates.append((first, second))
    # Only the adverts shown side by side are read with their text.
    prefetch_related_objects([advert for pair in duplicates for advert in pair], "document")
    towns = summary.get("towns", [])
    points = _map_points(towns)
    route = " ".join(
        f"{point['x']},{point['y']}" for point in sorted(points, key=lambda p: p.get("first") or "")
    )
    known_towns = uk_towns()
    return render(
        request,
        "adverts/group_detail.html",
        {
            "group": group,
            "summary": summary,
            "adverts": adverts,
            "reasons": _reasons(group.indicator_counts),
            "duplicates": duplicates,
            "points": points,
            "route": route,
            "towns_known": len(known_towns),
            "alerts": access.alerts_for(user)
            .filter(group=group)
            .select_related("case", "referral"),
        },
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _require_reader(request)
    alerts = access.alerts_for(user).select_related("advert", "group", "case", "referral")
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(request, "adverts/alert_list.html", {"page": page})


@login_required
def indicator_catalogue(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(
        request,
        "adverts/indicators.html",
        {"indicators": _reasons(dict.fromkeys(catalogue(), 0)), "sources": sources()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _require_uploader(request)
    regions = access.upload_regions(user)
    form = UploadForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read(services.max_upload_bytes() + 1)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text. Save it as UTF-8 and try again."))
        else:
            job = services.import_job_create(
                region=form.cleaned_data["region"],
                by=user,
                data=data,
                file_name=upload_file.name,
                source=form.cleaned_data["source"],
            )
            import_job_task.enqueue(job_id=job.pk)
            messages.success(
                request, _("The file was uploaded. The import runs in the background.")
            )
            return redirect("adverts:job", public_id=job.public_id)
    jobs = access.jobs_for(user).select_related("created_by")[:10]
    return render(request, "adverts/upload.html", {"form": form, "jobs": jobs})


@login_required
def job_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _require_uploader(request)
    job = access.job_for(user, public_id)
    template = (
        "adverts/_job_progress.html" if request.headers.get("HX-Request") else "adverts/job.html"
    )
    return render(request, template, {"job": job})
