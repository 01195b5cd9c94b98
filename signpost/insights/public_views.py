"""The public list of published statistics.

Same rules as every public page: no session, no cookies, nothing fetched from a third party,
no personal data (the figures were suppressed before they were published).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from signpost.insights import pdf, statistics
from signpost.insights.csvfiles import csv_response
from signpost.insights.models import PublishedReport


def _report(pk: int) -> PublishedReport:
    report = PublishedReport.objects.select_related("region").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    reports = PublishedReport.objects.select_related("region").order_by(
        "-year", "-quarter", "region__name"
    )
    return render(request, "insights/public_list.html", {"reports": reports})


@require_GET
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    return render(
        request,
        "insights/public_detail.html",
        {"report": report, "tables": statistics.localised(report.tables)},
    )


@require_GET
def published_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    header, rows = statistics.csv_rows(statistics.localised(report.tables))
    return csv_response(
        f"statistics-{report.region.slug}-{report.year}-Q{report.quarter}.csv", header, rows
    )


@require_GET
def published_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    return pdf.pdf_response(
        filename=f"statistics-{report.region.slug}-{report.year}-Q{report.quarter}.pdf",
        region=report.region,
        label=report.label,
        tables=statistics.localised(report.tables),
    )
