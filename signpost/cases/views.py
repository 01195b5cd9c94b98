"""Case pages for charity staff. Every page that shows case data writes a `view` audit event;
every refusal is a 404 (signpost.cases.access)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from signpost.cases import access as case_rules
from signpost.cases import forms, selectors, services
from signpost.cases.models import (
    Case,
    Identifier,
    NrmReferral,
    NrmRoute,
    Person,
    Place,
    Task,
)
from signpost.cases.pdf import nrm_pack_pdf
from signpost.core import access
from signpost.core.decorators import reauthentication_required, role_required
from signpost.core.forms import form_show_service_error
from signpost.core.models import Area, User
from signpost.core.roles import Role

CASE_ROLES = (Role.INVESTIGATOR, Role.LEAD, Role.HANDLER, Role.ANALYST)
cases_roles = role_required(*CASE_ROLES)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- Lists, search and opening -------------------------------------------------------------------


@cases_roles
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    include_closed = request.GET.get("closed") == "1"
    cases = selectors.cases_list_for_user(user, include_closed=include_closed)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "include_closed": include_closed,
            "may_open": access.has_role(user, Role.INVESTIGATOR, Role.LEAD),
        },
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search terms only ever travel in a POST body, never in the URL."""
    user = _user(request)
    form = forms.SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.staff_search(
            user=user, term=form.cleaned_data["term"], kind=form.cleaned_data["kind"]
        )
        services.search_record(by=user, results=results.count)
    return render(request, "cases/search.html", {"form": form, "results": results})


def _areas_for_opening(user: User) -> QuerySet[Area]:
    regions = access.region_ids_for(user, Role.INVESTIGATOR, Role.LEAD)
    return Area.objects.filter(region_id__in=regions).select_related("region")


def _investigators_in(region_ids: set[int]) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=[Role.INVESTIGATOR, Role.LEAD],
            memberships__organisation__region_id__in=region_ids,
        )
        .distinct()
        .order_by("display_name")
    )


@role_required(Role.INVESTIGATOR, Role.LEAD)
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    regions = access.region_ids_for(user, Role.INVESTIGATOR, Role.LEAD)
    form = forms.CaseOpenForm(
        request.POST if request.method == "POST" else None,
        areas=_areas_for_opening(user),
        investigators=_investigators_in(regions),
        initial={"lead_investigator": user.pk},
    )
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data["area"]
        try:
            case = services.case_open(
                region=area.region,
                area=area,
                lead_investigator=form.cleaned_data["lead_investigator"],
                exploitation_types=form.cleaned_data["exploitation_types"],
                summary=form.cleaned_data["summary"],
                by=user,
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/open.html", {"form": form})


# --- The case page and its sections ------------------------------------------------------------


def _assignees(case: Case) -> QuerySet[User]:
    active = Q(memberships__is_active=True)
    return (
        User.objects.filter(
            Q(pk=case.lead_investigator_id)
            | (active & Q(memberships__role=Role.INVESTIGATOR, memberships__team_id=case.team_id))
            | (
                active
                & Q(
                    memberships__role=Role.LEAD,
                    memberships__organisation__region_id=case.region_id,
                )
            )
            | Q(cases_handled=case),
            is_active=True,
        )
        .distinct()
        .order_by("display_name")
    )


@dataclass(frozen=True)
class Section:
    """A part of the case page that grows by an inline form (loaded on demand with htmx)."""

    template: str
    add_url: str = ""
    add_label: str | Promise = ""
    submit_label: str | Promise = ""


SECTIONS = {
    "people": Section(
        "cases/_people.html",
        "cases:person_add",
        gettext_lazy("Add a person"),
        gettext_lazy("Add person"),
    ),
    "identifiers": Section(
        "cases/_identifiers.html",
        "cases:identifier_add",
        gettext_lazy("Add an identifier"),
        gettext_lazy("Add identifier"),
    ),
    "places": Section(
        "cases/_places.html",
        "cases:place_add",
        gettext_lazy("Add a place"),
        gettext_lazy("Add place"),
    ),
    "timeline": Section(
        "cases/_timeline.html",
        "cases:note_add",
        gettext_lazy("Add a note"),
        gettext_lazy("Add to the timeline"),
    ),
    "tasks": Section(
        "cases/_tasks.html", "cases:task_add", gettext_lazy("Add a task"), gettext_lazy("Add task")
    ),
    "safeguarding": Section(
        "cases/_safeguarding.html",
        "cases:safeguarding_add",
        gettext_lazy("Record a safeguarding action"),
        gettext_lazy("Record action"),
    ),
    "support": Section(
        "cases/_support.html",
        "cases:support_add",
        gettext_lazy("Refer to a support provider"),
        gettext_lazy("Record referral"),
    ),
    "nrm": Section("cases/_nrm.html"),
}


def _form_context(case: Case, section: str, form: Any, *, standalone: bool = False) -> dict:
    config = SECTIONS[section]
    return {
        "form": form,
        "section": section,
        "action": reverse(config.add_url, args=[case.pk]),
        "submit_label": config.submit_label,
        "standalone": standalone,
    }


def _case_context(
    request: HttpRequest, case: Case, *, open_section: str = "", open_form: Any = None, **bound: Any
) -> dict[str, Any]:
    user = _user(request)
    case_file = selectors.case_file(case=case, user=user)
    context: dict[str, Any] = {
        "case": case,
        "file": case_file,
        "rights": case_file.rights,
        "sections": SECTIONS,
        "open_forms": {},
        # Intelligence reports are drafted by investigators and analysts (and leads).
        "may_write_intelligence": access.has_role(user, Role.INVESTIGATOR, Role.ANALYST, Role.LEAD),
    }
    if case_file.rights.may_assign_handlers:
        context["handler_form"] = bound.get("handler_form") or forms.HandlerAssignForm(
            handlers=_handlers_to_assign(case)
        )
    if case_file.rights.may_edit:
        context["status_form"] = bound.get("status_form") or forms.StatusForm(case=case)
        context["closure_form"] = bound.get("closure_form") or forms.ClosureRequestForm()
        if open_section:
            context["open_forms"][open_section] = _form_context(case, open_section, open_form)
    return context


@cases_roles
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = case_rules.case_for_user(user, pk)
    context = _case_context(request, case)
    services.case_view_record(case=case, by=user)
    return render(request, "cases/detail.html", context)


def _section_response(
    request: HttpRequest,
    case: Case,
    section: str,
    *,
    also: Sequence[str] = (),
    open_form: Any = None,
) -> HttpResponse:
    """The section's fragment for htmx (others swapped out of band), or the whole page."""
    user = _user(request)
    context = _case_context(
        request, case, open_section=section if open_form is not None else "", open_form=open_form
    )
    services.case_view_record(case=case, by=user, page=section)
    if not _is_htmx(request):
        return render(request, "cases/detail.html", context)
    html = [render(request, SECTIONS[section].template, context).content.decode()]
    for other in also:
        html.append(
            render(request, SECTIONS[other].template, {**context, "oob": True}).content.decode()
        )
    return HttpResponse("".join(html))


def _add_to_section(
    request: HttpRequest,
    pk: int,
    *,
    section: str,
    build_form: Callable[[Case, Any], Any],
    save: Callable[[Case, Any, User], object],
    success: str,
    also: Sequence[str] = (),
) -> HttpResponse:
    """GET: the empty form (a fragment for htmx, else a page). POST: save, or show errors."""
    user = _user(request)
    case, _rights = case_rules.case_for_editing(user, pk)
    if request.method != "POST":
        form = build_form(case, None)
        if _is_htmx(request):
            return render(request, "cases/_form.html", _form_context(case, section, form))
        context = {"case": case, **_form_context(case, section, form, standalone=True)}
        context["title"] = SECTIONS[section].add_label
        return render(request, "cases/add.html", context)
    form = build_form(case, request.POST)
    if form.is_valid():
        try:
            save(case, form.cleaned_data, user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            if not _is_htmx(request):
                messages.success(request, success)
                return redirect(f"{reverse('cases:detail', args=[case.pk])}#case-{section}")
            return _section_response(request, case, section, also=also)
    return _section_response(request, case, section, open_form=form)


def _people_form_for(form_class: type, **extra: Any) -> Callable[[Case, Any], Any]:
    def build(case: Case, data: Any) -> Any:
        form = form_class(data, **{name: make(case) for name, make in extra.items()})
        form.set_people(list(case.people.all()))
        return form

    return build


@cases_roles
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.person_add(case=case, by=user, **data)

    return _add_to_section(
        request,
        pk,
        section="people",
        build_form=lambda case, data: forms.PersonForm(data),
        save=save,
        success=_("Person added."),
        also=["nrm"],
    )


def _row_for_editing(
    user: User,
    pk: int,
    *,
    items: Callable[[Case], QuerySet[Any]],
    item_pk: int,
    target_type: str,
) -> tuple[Case, Any]:
    """The case and one row of it, each a 404 unless the user may change it."""
    case, _rights = case_rules.case_for_editing(user, pk)
    item = access.get_or_deny(
        items(case).select_related("case__region"),
        user=user,
        pk=item_pk,
        target_type=target_type,
    )
    return case, item


def _change_row(
    request: HttpRequest,
    pk: int,
    *,
    items: Callable[[Case], QuerySet[Any]],
    item_pk: int,
    target_type: str,
    section: str,
    build_form: Callable[[Case, Any, dict[str, Any]], Any],
    initial: Callable[[Any], dict[str, Any]],
    save: Callable[[Any, dict[str, Any], User], object],
    title: str,
) -> HttpResponse:
    """Correct one row of a case's section on a page of its own (the case and the row each a
    404 if not the user's to change)."""
    user = _user(request)
    case, item = _row_for_editing(user, pk, items=items, item_pk=item_pk, target_type=target_type)
    form = build_form(case, request.POST if request.method == "POST" else None, initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            save(item, form.cleaned_data, user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect(f"{reverse('cases:detail', args=[case.pk])}#case-{section}")
    services.case_view_record(case=case, by=user, page=section)
    return render(
        request,
        "cases/add.html",
        {
            "case": case,
            "form": form,
            "section": section,
            "action": request.path,
            "submit_label": _("Save changes"),
            "standalone": True,
            "title": title,
        },
    )


def _person_initial(person: Person) -> dict[str, Any]:
    return {
        "role": person.role,
        "full_name": person.full_name,
        "aliases": ", ".join(person.aliases or []),
        "date_of_birth": person.birth_date,
        "estimated_age": person.estimated_age,
        "nationality": person.nationality,
        "languages": ", ".join(person.languages or []),
        "description": person.description,
        "contact_details": person.contact_details,
    }


@cases_roles
@require_http_methods(["GET", "POST"])
def person_change(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    return _change_row(
        request,
        pk,
        items=lambda case: Person.objects.filter(case=case),
        item_pk=person_pk,
        target_type="cases.person",
        section="people",
        build_form=lambda case, data, initial: forms.PersonForm(data, initial=initial),
        initial=_person_initial,
        save=lambda person, data, user: services.person_update(person=person, by=user, **data),
        title=_("Change a person's details"),
    )


def _place_form(case: Case, data: Any, initial: dict[str, Any]) -> forms.PlaceForm:
    form = forms.PlaceForm(data, initial=initial)
    form.set_people(list(case.people.all()))
    return form


@cases_roles
@require_http_methods(["GET", "POST"])
def place_change(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    return _change_row(
        request,
        pk,
        items=lambda case: Place.objects.filter(case=case),
        item_pk=place_pk,
        target_type="cases.place",
        section="places",
        build_form=_place_form,
        initial=lambda place: {
            "kind": place.kind,
            "address": place.address,
            "postcode": place.postcode,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "person": str(place.person_id or ""),
        },
        save=lambda place, data, user: services.place_update(place=place, by=user, **data),
        title=_("Change a place"),
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def identifier_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.identifier_add(
            case=case, kind=data["kind"], value=data["value"], person=data["person"], by=user
        )

    return _add_to_section(
        request,
        pk,
        section="identifiers",
        build_form=_people_form_for(forms.IdentifierForm),
        save=save,
        success=_("Identifier added."),
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def place_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.place_add(case=case, by=user, **data)

    return _add_to_section(
        request,
        pk,
        section="places",
        build_form=_people_form_for(forms.PlaceForm),
        save=save,
        success=_("Place added."),
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.timeline_entry_add(case=case, kind=data["kind"], text=data["text"], by=user)

    return _add_to_section(
        request,
        pk,
        section="timeline",
        build_form=lambda case, data: forms.TimelineEntryForm(data),
        save=save,
        success=_("Note added."),
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.task_add(case=case, by=user, **data)

    return _add_to_section(
        request,
        pk,
        section="tasks",
        build_form=lambda case, data: forms.TaskForm(data, assignees=_assignees(case)),
        save=save,
        success=_("Task added."),
    )


def _act_on_item(
    request: HttpRequest,
    pk: int,
    *,
    items: Callable[[Case], QuerySet[Any]],
    item_pk: int,
    target_type: str,
    section: str,
    act: Callable[[Any, User], object],
    success: str,
) -> HttpResponse:
    """A change to one row of a case's section (the case and the row each a 404 if not the
    user's to change), then the section again for htmx or the page for a plain form."""
    user = _user(request)
    case, item = _row_for_editing(user, pk, items=items, item_pk=item_pk, target_type=target_type)
    act(item, user)
    if _is_htmx(request):
        return _section_response(request, case, section)
    messages.success(request, success)
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#case-{section}")


@cases_roles
@require_POST
def identifier_remove(request: HttpRequest, pk: int, identifier_pk: int) -> HttpResponse:
    return _act_on_item(
        request,
        pk,
        items=lambda case: Identifier.objects.filter(case=case),
        item_pk=identifier_pk,
        target_type="cases.identifier",
        section="identifiers",
        act=lambda identifier, user: services.identifier_remove(identifier=identifier, by=user),
        success=_("Identifier removed."),
    )


@cases_roles
@require_POST
def task_complete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    return _act_on_item(
        request,
        pk,
        items=lambda case: Task.objects.filter(case=case),
        item_pk=task_pk,
        target_type="cases.task",
        section="tasks",
        act=lambda task, user: services.task_complete(task=task, by=user),
        success=_("Task marked as done."),
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def safeguarding_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.safeguarding_action_add(case=case, by=user, **data)

    return _add_to_section(
        request,
        pk,
        section="safeguarding",
        build_form=_people_form_for(forms.SafeguardingActionForm),
        save=save,
        success=_("Safeguarding action recorded."),
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, data: dict[str, Any], user: User) -> object:
        return services.support_referral_add(case=case, by=user, **data)

    providers = {"providers": lambda case: selectors.support_providers(region_id=case.region_id)}
    return _add_to_section(
        request,
        pk,
        section="support",
        build_form=_people_form_for(forms.SupportReferralForm, **providers),
        save=save,
        success=_("Referral to support recorded."),
    )


# --- Status and closure ---------------------------------------------------------------------


def _back_to_case(case: Case, anchor: str = "") -> HttpResponse:
    url = reverse("cases:detail", args=[case.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _render_case_with(request: HttpRequest, case: Case, **bound: Any) -> HttpResponse:
    context = _case_context(request, case, **bound)
    services.case_view_record(case=case, by=_user(request))
    return render(request, "cases/detail.html", context)


def _handlers_to_assign(case: Case) -> QuerySet[User]:
    """Active intake handlers of the case's region who are not on it yet."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.HANDLER,
            memberships__organisation__region_id=case.region_id,
        )
        .exclude(cases_handled=case)
        .distinct()
        .order_by("display_name")
    )


@cases_roles
@require_POST
def handler_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = case_rules.case_for_assigning_handlers(user, pk)
    form = forms.HandlerAssignForm(request.POST, handlers=_handlers_to_assign(case))
    if form.is_valid():
        handler = form.cleaned_data["handler"]
        try:
            services.case_handler_assign(case=case, handler=handler, by=user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("%(name)s can now see this case.") % {"name": handler})
            return _back_to_case(case, "case-handlers")
    return _render_case_with(request, case, handler_form=form)


@cases_roles
@require_POST
def handler_unassign(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    user = _user(request)
    case = case_rules.case_for_assigning_handlers(user, pk)
    handler = access.get_or_deny(
        case.handlers.all(), user=user, pk=user_pk, target_type="cases.case_handler"
    )
    services.case_handler_unassign(case=case, handler=handler, by=user)
    messages.success(request, _("%(name)s no longer sees this case.") % {"name": handler})
    return _back_to_case(case, "case-handlers")


@cases_roles
@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case, _rights = case_rules.case_for_editing(user, pk)
    form = forms.StatusForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_status_change(case=case, status=form.cleaned_data["status"], by=user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Status changed."))
            return _back_to_case(case)
    return _render_case_with(request, case, status_form=form)


@cases_roles
@require_POST
def closure_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case, _rights = case_rules.case_for_editing(user, pk)
    form = forms.ClosureRequestForm(request.POST)
    if form.is_valid():
        try:
            services.case_closure_request(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Closure requested. A team lead must approve it."))
            return _back_to_case(case, "case-closure")
    return _render_case_with(request, case, closure_form=form)


def _lead_decision(
    request: HttpRequest, pk: int, decide: Callable[..., Case], done: str
) -> HttpResponse:
    user = _user(request)
    case = case_rules.case_for_user(user, pk)
    if not case_rules.case_access(user, case).may_approve_closure:
        access.deny(user=user, target_type=case_rules.TARGET_TYPE, target_id=pk)
    try:
        decide(case=case, by=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back_to_case(case, "case-closure")


@cases_roles
@require_POST
def closure_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _lead_decision(request, pk, services.case_closure_approve, _("Case closed."))


@cases_roles
@require_POST
def closure_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _lead_decision(
        request, pk, services.case_closure_decline, _("Closure declined: the case stays open.")
    )


@cases_roles
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _lead_decision(request, pk, services.case_reopen, _("Case reopened."))


# --- NRM and Duty to Notify ---------------------------------------------------------------------


@cases_roles
@require_http_methods(["GET", "POST"])
def nrm_consent(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    user = _user(request)
    case, _rights = case_rules.case_for_editing(user, pk)
    person = access.get_or_deny(
        Person.objects.filter(case=case, nrm__isnull=True).select_related("case__region"),
        user=user,
        pk=person_pk,
        target_type="cases.person",
    )
    form = forms.NrmConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nrm_consent_record(
                person=person,
                by=user,
                consent_given=form.as_bool(form.cleaned_data["consent_given"]),
                is_child=form.as_bool(form.cleaned_data["is_child"]),
            )
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            messages.success(request, _("Consent and route recorded."))
            return _back_to_case(case, "case-nrm")
    services.case_view_record(case=case, by=user, page="nrm_consent")
    return render(
        request,
        "cases/nrm_consent.html",
        {"case": case, "person": person, "form": form, "age": person.age},
    )


NRM_STEPS = ("submission", "reasonable_grounds", "conclusive_grounds")


def _nrm_record(user: User, case: Case, record_pk: int) -> NrmReferral:
    return access.get_or_deny(
        NrmReferral.objects.filter(case=case).select_related("person", "first_responder", "case"),
        user=user,
        pk=record_pk,
        target_type="cases.nrmreferral",
    )


@cases_roles
@require_http_methods(["GET", "POST"])
def nrm_update(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    user = _user(request)
    case, _rights = case_rules.case_for_editing(user, pk)
    record = _nrm_record(user, case, record_pk)
    record.case = case
    step = request.POST.get("step", "") if request.method == "POST" else ""
    data = request.POST if step else None
    submission_form = forms.NrmSubmissionForm(
        data if step == "submission" else None,
        first_responders=selectors.first_responders(region_id=case.region_id),
        initial={"submitted_on": record.submitted_on, "first_responder": record.first_responder_id},
    )
    rg_form = forms.NrmReasonableGroundsForm(data if step == "reasonable_grounds" else None)
    cg_form = forms.NrmConclusiveGroundsForm(data if step == "conclusive_grounds" else None)
    bound = {
        "submission": submission_form,
        "reasonable_grounds": rg_form,
        "conclusive_grounds": cg_form,
    }.get(step)
    if bound is not None and bound.is_valid():
        cleaned = bound.cleaned_data
        try:
            if step == "submission":
                services.nrm_submission_record(record=record, by=user, **cleaned)
            elif step == "reasonable_grounds":
                services.nrm_reasonable_grounds_record(record=record, by=user, **cleaned)
            else:
                services.nrm_conclusive_grounds_record(record=record, by=user, **cleaned)
        except ValidationError as error:
            form_show_service_error(bound, error)
        else:
            messages.success(request, _("NRM record updated."))
            return _back_to_case(case, "case-nrm")
    services.case_view_record(case=case, by=user, page="nrm")
    return render(
        request,
        "cases/nrm_update.html",
        {
            "case": case,
            "record": record,
            "is_nrm": record.route == NrmRoute.NRM,
            "submission_form": submission_form,
            "rg_form": rg_form,
            "cg_form": cg_form,
        },
    )


@cases_roles
def nrm_pack(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    """Access is checked first, so an outsider gets a 404 and not a password prompt."""
    user = _user(request)
    case = case_rules.case_for_user(user, pk)
    if not case_rules.case_access(user, case).sees_personal_details:
        access.deny(user=user, target_type=case_rules.TARGET_TYPE, target_id=pk)
    record = _nrm_record(user, case, record_pk)
    return _nrm_pack_download(request, case=case, record=record)


@reauthentication_required
def _nrm_pack_download(request: HttpRequest, *, case: Case, record: NrmReferral) -> HttpResponse:
    user = _user(request)
    pdf = nrm_pack_pdf(case=case, record=record, user=user)
    services.case_export_record(case=case, by=user, export=f"nrm_pack:{record.pk}")
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries only the opaque case reference, never a name.
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-nrm-pack.pdf"'
    return response
