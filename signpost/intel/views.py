"""Intelligence report pages: charity staff (write, sanitise, approve, disclose) and the police
liaison (read, acknowledge, reply). Every view of a report writes a `view` audit event; every
refusal is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from signpost.cases import access as case_rules
from signpost.cases.selectors import cases_list_for_user
from signpost.core import access
from signpost.core.decorators import reauthentication_required, role_required
from signpost.core.forms import form_show_service_error
from signpost.core.models import User
from signpost.core.roles import Role
from signpost.intel import access as intel_access
from signpost.intel import forms, selectors, services
from signpost.intel.models import IntelReport, ReportStatus
from signpost.intel.pdf import report_pdf

staff_roles = role_required(*intel_access.STAFF_ROLES)
police_role = role_required(Role.POLICE_LIAISON)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- Staff: list, write, edit -------------------------------------------------------------------


@staff_roles
def report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reports = selectors.reports_list(intel_access.reports_for_staff(user))[:200]
    awaiting = [
        report
        for report in reports
        if report.status != ReportStatus.DISCLOSED and intel_access.may_approve(user, report)
    ]
    return render(request, "intel/report_list.html", {"reports": reports, "awaiting": awaiting})


@staff_roles
@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    cases = cases_list_for_user(user)[:500]
    form = forms.StartReportForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        return redirect("intel:report_new", case_pk=form.cleaned_data["case"])
    return render(request, "intel/report_start.html", {"form": form})


def _entity_lookup(case: Any, user: User) -> tuple[list[tuple[str, str]], dict[str, dict]]:
    choices = selectors.case_entity_choices(case=case, user=user)
    return [(key, label) for key, label, _entity in choices], {
        key: entity for key, _label, entity in choices
    }


def _grading_values(form: forms.ReportForm) -> dict[str, str]:
    data = form.cleaned_data
    return {
        "source_grade": data.get("source_grade") or "",
        "intelligence_grade": data.get("intelligence_grade") or "",
        "handling_code": data.get("handling_code") or "",
        "handling_conditions": data.get("handling_conditions") or "",
    }


@staff_roles
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = _user(request)
    case = case_rules.case_for_user(user, case_pk)
    choices, entities = _entity_lookup(case, user)
    form = forms.ReportForm(request.POST or None, entity_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                by=user,
                case=case,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                linked_entities=[entities[key] for key in form.cleaned_data["entities"]],
                **_grading_values(form),
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(
                request, _("Draft report %(reference)s saved.") % {"reference": report}
            )
            return redirect("intel:report_detail", pk=report.pk)
    return render(request, "intel/report_form.html", {"form": form, "case": case, "report": None})


def _network_entities(user: User, seed: str, depth: int) -> tuple[list[str], dict[str, dict]]:
    from signpost.intel import graph

    # The same walk as the network view, so the report lists what the author saw drawn.
    shown = graph.expand(user, seed, depth=depth).graph
    if seed not in shown:
        access.deny(user=user, target_type="intel.network", target_id="seed")
    entities = {
        node: {"kind": data["type"], "label": data["label"]}
        for node, data in shown.nodes(data=True)
        if data["type"] not in ("advert",)
    }
    return list(shown.nodes), entities


def _network_region(user: User, nodes: list[str]) -> Any:
    from signpost.cases.models import Case
    from signpost.core.models import Region

    case_ids = [int(node.split(":")[1]) for node in nodes if node.startswith("case:")]
    case = Case.objects.filter(pk__in=case_ids).select_related("region").first()
    if case is not None:
        return case.region
    regions = access.region_ids_for(user, *intel_access.AUTHOR_ROLES)
    return Region.objects.filter(pk__in=regions).order_by("pk").first()


@staff_roles
@require_POST
def report_new_network(request: HttpRequest) -> HttpResponse:
    """A report about a network of the graph: the start node travels in the POST body."""
    user = _user(request)
    seed = request.POST.get("seed", "")[:80]
    try:
        depth = max(1, min(4, int(request.POST.get("depth", "2"))))
    except ValueError:
        depth = 2
    nodes, entities = _network_entities(user, seed, depth)
    choices = [(key, entity["label"]) for key, entity in entities.items()]
    starting = request.POST.get("start") == "1"
    form = forms.ReportForm(None if starting else request.POST, entity_choices=choices)
    if not starting and form.is_valid():
        try:
            report = services.report_create(
                by=user,
                region=_network_region(user, nodes),
                network_nodes=nodes,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                linked_entities=[entities[key] for key in form.cleaned_data["entities"]],
                **_grading_values(form),
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(
                request, _("Draft report %(reference)s saved.") % {"reference": report}
            )
            return redirect("intel:report_detail", pk=report.pk)
    return render(
        request,
        "intel/report_form.html",
        {"form": form, "case": None, "report": None, "seed": seed, "depth": depth},
    )


@staff_roles
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = intel_access.report_for_staff(user, pk)
    if not intel_access.may_edit(user, report):
        access.deny(user=user, target_type=intel_access.TARGET_TYPE, target_id=pk)
    if report.case is not None:
        choices, entities = _entity_lookup(report.case, user)
    else:
        choices, entities = [], {}  # a network's entities are the ones saved with the report
    # Entities already on the report stay choosable even if the case changed since.
    for index, entity in enumerate(report.linked_entities):
        key = f"saved:{index}"
        if entity not in entities.values():
            choices.append((key, entity["label"]))
            entities[key] = entity
    chosen = [key for key, entity in entities.items() if entity in report.linked_entities]
    initial = {
        "title": report.title,
        "body": report.body,
        "entities": chosen,
        "source_grade": report.source_grade,
        "intelligence_grade": report.intelligence_grade,
        "handling_code": report.handling_code,
        "handling_conditions": report.handling_conditions,
    }
    form = forms.ReportForm(request.POST or None, entity_choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report=report,
                by=user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                linked_entities=[entities[key] for key in form.cleaned_data["entities"]],
                **_grading_values(form),
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Report saved."))
            return redirect("intel:report_detail", pk=report.pk)
    else:
        services.report_view_record(report=report, by=user, page="edit")
    return render(
        request, "intel/report_form.html", {"form": form, "case": report.case, "report": report}
    )


@staff_roles
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = intel_access.report_for_staff(user, pk)
    services.report_view_record(report=report, by=user)
    visible = intel_access.reports_for_staff(user)
    sanitised = services.is_sanitised(report)
    may_approve = intel_access.may_approve(user, report)
    return render(
        request,
        "intel/report_detail.html",
        {
            "report": report,
            "sanitised": sanitised,
            "may_edit": intel_access.may_edit(user, report),
            "may_approve": may_approve and report.status == ReportStatus.DRAFT,
            "may_disclose": may_approve and report.status == ReportStatus.APPROVED,
            "may_correct": report.is_disclosed
            and not IntelReport.objects.filter(previous=report).exists(),
            "ready": report.is_graded and sanitised,
            "replies": selectors.replies_of(report),
            "versions": selectors.versions_of(report, visible),
            "is_author": report.author_id == user.pk,
        },
    )


@staff_roles
@require_http_methods(["GET", "POST"])
def report_sanitise(request: HttpRequest, pk: int) -> HttpResponse:
    """Step one shows what was found and how it is masked; the author confirms it."""
    user = _user(request)
    report = intel_access.report_for_staff(user, pk)
    if not intel_access.may_edit(user, report):
        access.deny(user=user, target_type=intel_access.TARGET_TYPE, target_id=pk)
    form = forms.SanitiseForm(request.POST or None)
    extra = form.terms() if request.method == "POST" and form.is_valid() else []
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") == "1":
        services.report_sanitise(report=report, by=user, extra_terms=extra)
        messages.success(request, _("Sanitisation confirmed."))
        return redirect("intel:report_detail", pk=report.pk)
    preview = services.sanitisation_preview(report, extra)
    services.report_view_record(report=report, by=user, page="sanitise")
    return render(
        request,
        "intel/report_sanitise.html",
        {"report": report, "form": form, "preview": preview},
    )


# --- Staff: approve, disclose, correct, export ------------------------------------------------


def _lead_report(request: HttpRequest, pk: int) -> IntelReport:
    """The report, or a 404 unless the user is a lead of its region and not its author."""
    user = _user(request)
    report = intel_access.report_for_staff(user, pk)
    if not intel_access.may_approve(user, report):
        access.deny(user=user, target_type=intel_access.TARGET_TYPE, target_id=pk)
    return report


@role_required(Role.LEAD)
@require_http_methods(["GET", "POST"])
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = _lead_report(request, pk)
    return _approve(request, report=report)


@reauthentication_required
def _approve(request: HttpRequest, *, report: IntelReport) -> HttpResponse:
    user = _user(request)
    error = ""
    if request.method == "POST":
        try:
            services.report_approve(report=report, by=user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, _("Report approved. It can now be disclosed."))
            return redirect("intel:report_detail", pk=report.pk)
    services.report_view_record(report=report, by=user, page="approve")
    return render(
        request,
        "intel/report_approve.html",
        {"report": report, "error": error, "sanitised": services.is_sanitised(report)},
    )


@role_required(Role.LEAD)
@require_http_methods(["GET", "POST"])
def report_disclose(request: HttpRequest, pk: int) -> HttpResponse:
    report = _lead_report(request, pk)
    return _disclose(request, report=report)


@reauthentication_required
def _disclose(request: HttpRequest, *, report: IntelReport) -> HttpResponse:
    user = _user(request)
    form = forms.DiscloseForm(
        request.POST if request.method == "POST" else None,
        organisations=services.police_organisations(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_disclose(report=report, to=form.cleaned_data["organisation"], by=user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Report disclosed to %(organisation)s.")
                % {"organisation": form.cleaned_data["organisation"]},
            )
            return redirect("intel:report_detail", pk=report.pk)
    services.report_view_record(report=report, by=user, page="disclose")
    return render(request, "intel/report_disclose.html", {"report": report, "form": form})


@staff_roles
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = intel_access.report_for_staff(user, pk)
    try:
        correction = services.report_correct(report=report, by=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("intel:report_detail", pk=report.pk)
    messages.success(
        request, _("Correction %(reference)s started as a draft.") % {"reference": correction}
    )
    return redirect("intel:report_detail", pk=correction.pk)


@staff_roles
def report_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Access is checked first, so an outsider gets a 404 and not a password prompt."""
    report = intel_access.report_for_staff(_user(request), pk)
    return _pdf_response(request, report=report, disclosed=False)


@reauthentication_required
def _pdf_response(request: HttpRequest, *, report: IntelReport, disclosed: bool) -> HttpResponse:
    user = _user(request)
    pdf = report_pdf(report=report, user=user, disclosed_copy=disclosed)
    services.report_export_record(
        report=report, by=user, export="pdf_disclosed" if disclosed else "pdf"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.reference}.pdf"'
    return response


# --- Police liaison -------------------------------------------------------------------------------


@police_role
def police_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reports = intel_access.reports_for_police(user).order_by("-disclosed_at", "-id")[:200]
    return render(request, "intel/police_list.html", {"reports": reports})


def _police_page(request: HttpRequest, report: IntelReport, **extra: Any) -> HttpResponse:
    return render(
        request,
        "intel/police_detail.html",
        {
            "report": report,
            "content": report.disclosed_content or {},
            "replies": [
                reply
                for reply in selectors.replies_of(report)
                if reply.organisation_id == report.disclosed_to_id
            ],
            "reply_form": extra.get("reply_form") or forms.ReplyForm(),
        },
    )


@police_role
def police_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = intel_access.report_for_police(user, pk)
    services.report_view_record(report=report, by=user, page="police")
    return _police_page(request, report)


@police_role
@require_POST
def police_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = intel_access.report_for_police(user, pk)
    services.report_acknowledge(report=report, by=user)
    messages.success(request, _("Report acknowledged."))
    return redirect("intel:police_detail", pk=report.pk)


@police_role
@require_POST
def police_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = intel_access.report_for_police(user, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_add(
                report=report,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                by=user,
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Reply sent."))
            return redirect("intel:police_detail", pk=report.pk)
    services.report_view_record(report=report, by=user, page="police")
    return _police_page(request, report, reply_form=form)


@police_role
def police_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = intel_access.report_for_police(_user(request), pk)
    return _pdf_response(request, report=report, disclosed=True)
