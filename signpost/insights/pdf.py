"""The statistics report as a PDF (WeasyPrint), from tables that are already suppressed."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from signpost.core.models import Region


def statistics_pdf(*, region: Region, label: str, tables: list[dict[str, Any]]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "insights/statistics_pdf.html",
        {"region": region, "label": label, "tables": tables, "generated_on": timezone.localdate()},
    )
    # No base_url: the report fetches nothing, from the network or the disk.
    return bytes(HTML(string=html).write_pdf())


def pdf_response(
    *, filename: str, region: Region, label: str, tables: list[dict[str, Any]]
) -> HttpResponse:
    response = HttpResponse(
        statistics_pdf(region=region, label=label, tables=tables), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
