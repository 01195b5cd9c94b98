"""The printable intelligence report. Its grading and handling conditions are printed in the
margin of every page (CSS @page margin boxes fed by named strings), so a page that is copied
on its own still says how it may be handled."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from signpost.core.models import User
from signpost.intel import services
from signpost.intel.models import (
    HANDLING_MEANINGS,
    INTELLIGENCE_GRADE_MEANINGS,
    SOURCE_GRADE_MEANINGS,
    IntelReport,
)


def _content(report: IntelReport, disclosed_copy: bool) -> tuple[dict[str, Any], str]:
    if report.is_disclosed and report.disclosed_content:
        return dict(report.disclosed_content), "disclosed"
    if disclosed_copy:
        raise ValueError("Only a disclosed report has a disclosed copy.")
    if services.is_sanitised(report):
        title, body, entities = (
            report.sanitised_title,
            report.sanitised_body,
            report.sanitised_entities,
        )
        state = "sanitised"
    else:
        title, body, entities = report.title, report.body, report.linked_entities
        state = "unsanitised"
    return {
        "reference": report.reference,
        "version": report.version,
        "corrects": report.previous.reference if report.previous else "",
        "title": title,
        "body": body,
        "linked_entities": entities,
        "source_grade": report.source_grade,
        "intelligence_grade": report.intelligence_grade,
        "handling_code": report.handling_code,
        "handling_conditions": report.handling_conditions,
        "region": report.region.name,
    }, state


def report_pdf(*, report: IntelReport, user: User, disclosed_copy: bool = False) -> bytes:
    from weasyprint import HTML

    content, state = _content(report, disclosed_copy)
    source, grade, code = (
        content.get("source_grade", ""),
        content.get("intelligence_grade", ""),
        content.get("handling_code", ""),
    )
    context = {
        "report": report,
        "content": content,
        "state": state,
        "grading": f"{source}{grade}{code}" if source and grade and code else "",
        "source_meaning": SOURCE_GRADE_MEANINGS.get(source, ""),
        "intelligence_meaning": INTELLIGENCE_GRADE_MEANINGS.get(grade, ""),
        "handling_meaning": HANDLING_MEANINGS.get(code, ""),
        "generated_at": timezone.now(),
        "generated_by": user,
    }
    html = render_to_string("intel/report_pdf.html", context)
    # No base_url: the document must not fetch anything, from the network or the disk.
    return bytes(HTML(string=html).write_pdf())
