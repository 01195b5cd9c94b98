"""Reads for the intel app. Functions taking a user narrow to what that user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from signpost.cases import access as case_rules
from signpost.cases.models import Case
from signpost.core.models import User
from signpost.intel.models import IntelReport, ReportReply


def case_entity_choices(*, case: Case, user: User) -> list[tuple[str, str, dict[str, str]]]:
    """(key, label, entity) for every person, identifier and place of the case the user may see.

    Analysts see that people exist, not who they are, so their entities carry no names.
    """
    rights = case_rules.case_access(user, case)
    choices: list[tuple[str, str, dict[str, str]]] = []
    for person in case.people.all():
        if rights.sees_personal_details:
            label = f"{person.full_name} ({person.get_role_display()})"
        else:
            label = f"{person.get_role_display()} {person.pk}"
        choices.append((f"person:{person.pk}", label, {"kind": "person", "label": label}))
    for identifier in case.identifiers.all():
        label = f"{identifier.get_kind_display()}: {identifier.value}"
        choices.append(
            (f"identifier:{identifier.pk}", label, {"kind": identifier.kind, "label": label})
        )
    if rights.sees_personal_details:
        for place in case.places.all():
            label = f"{place.get_kind_display()}: {place.address} {place.postcode}".strip()
            choices.append((f"place:{place.pk}", label, {"kind": "place", "label": label}))
    return choices


def reports_list(queryset: QuerySet[IntelReport]) -> QuerySet[IntelReport]:
    return queryset.select_related("case", "author", "disclosed_to").order_by("-created_at", "-id")


def replies_of(report: IntelReport) -> list[ReportReply]:
    return list(report.replies.select_related("author", "organisation"))


def versions_of(report: IntelReport, visible: QuerySet[IntelReport]) -> list[IntelReport]:
    """Every version of the report that the user may see, oldest first."""
    chain: list[IntelReport] = []
    current: Any = report
    while current is not None and current.previous_id:
        current = visible.filter(pk=current.previous_id).first()
        if current is not None:
            chain.insert(0, current)
    chain.append(report)
    later = visible.filter(previous=report).first()
    while later is not None:
        chain.append(later)
        later = visible.filter(previous=later).first()
    return chain
