"""Who may see and change which case: the only way to fetch a case for a user.

One rule a line, deny by default (DESIGN.md, "Who may do what"):
- investigators: cases they lead, and their team's cases; full access.
- leads: every case in their region; full access; they approve closure and reopen.
- handlers: a case only while they are assigned to it (Case.handlers); full access.
- analysts: every case in their region, but identifiers and links only: no victims' contact
  details, no notes (CaseAccess.sees_personal_details is False).
- volunteers, police liaison and admins: nothing.
Denial is a 404 with an access_denied audit event (signpost.core.access).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from signpost.cases.models import Case
from signpost.core import access
from signpost.core.models import User
from signpost.core.roles import Role

TARGET_TYPE = "cases.case"


def _full_access_condition(user: User, prefix: str = "") -> Q:
    """`prefix` applies the rule through a relation (e.g. "case__" from an identifier), so
    that the database can start from the related row instead of listing every visible case."""
    handled_by_user = Case.handlers.through.objects.filter(user_id=user.pk).values("case_id")
    condition = Q(pk__in=[])
    if access.has_role(user, Role.INVESTIGATOR):
        condition |= Q(**{f"{prefix}lead_investigator_id": user.pk})
        condition |= Q(**{f"{prefix}team_id__in": access.team_ids_for(user, Role.INVESTIGATOR)})
    condition |= Q(**{f"{prefix}region_id__in": access.region_ids_for(user, Role.LEAD)})
    if access.has_role(user, Role.HANDLER):
        handler_regions = access.region_ids_for(user, Role.HANDLER)
        condition |= Q(
            **{f"{prefix}pk__in": handled_by_user, f"{prefix}region_id__in": handler_regions}
        )
    return condition


def _restricted_access_condition(user: User, prefix: str = "") -> Q:
    return Q(**{f"{prefix}region_id__in": access.region_ids_for(user, Role.ANALYST)})


def case_scope(user: User, prefix: str = "case__") -> Q:
    """The cases the user may see, as a filter on a model that points to Case (via `prefix`).

    Prefer it to `case_id__in=cases_for_user(user)`: for a lead that subquery lists every case
    of the region, while this lets the database start from the few rows that matched.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return _full_access_condition(user, prefix) | _restricted_access_condition(user, prefix)


def cases_for_user(user: User) -> QuerySet[Case]:
    """Every case the user may open, at any level."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return Case.objects.filter(_full_access_condition(user) | _restricted_access_condition(user))


def cases_with_full_access(user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return Case.objects.filter(_full_access_condition(user))


@dataclass(frozen=True)
class CaseAccess:
    """What this user may do with this case (decided once a request)."""

    sees_personal_details: bool
    may_edit: bool
    may_approve_closure: bool
    may_reopen: bool
    # Leads and the investigators on the case decide which intake handlers work on it.
    may_assign_handlers: bool = False


def may_work_on_cases(user: User) -> bool:
    return access.has_role(user, Role.INVESTIGATOR, Role.LEAD, Role.HANDLER, Role.ANALYST)


def case_access(user: User, case: Case) -> CaseAccess:
    is_region_lead = case.region_id in access.region_ids_for(user, Role.LEAD)
    full = Case.objects.filter(pk=case.pk).filter(_full_access_condition(user)).exists()
    return CaseAccess(
        sees_personal_details=full,
        may_edit=full and not case.is_closed,
        may_approve_closure=is_region_lead,
        may_reopen=is_region_lead,
        may_assign_handlers=full
        and not case.is_closed
        and (is_region_lead or access.has_role(user, Role.INVESTIGATOR)),
    )


def case_for_user(user: User, pk: object) -> Case:
    """The case, or a 404 (audited) when the user may not see it."""
    queryset = cases_for_user(user).select_related(
        "region", "area", "lead_investigator", "team", "closure_requested_by", "closure_approved_by"
    )
    return access.get_or_deny(queryset, user=user, pk=pk, target_type=TARGET_TYPE)


def case_for_assigning_handlers(user: User, pk: object) -> Case:
    """The case, or a 404 unless the user may choose its intake handlers."""
    case = case_for_user(user, pk)
    if not case_access(user, case).may_assign_handlers:
        access.deny(user=user, target_type=TARGET_TYPE, target_id=pk)
    return case


def case_for_editing(user: User, pk: object) -> tuple[Case, CaseAccess]:
    """The case and the user's access, or a 404 unless the user may change it."""
    case = case_for_user(user, pk)
    rights = case_access(user, case)
    if not rights.may_edit:
        access.deny(user=user, target_type=TARGET_TYPE, target_id=pk)
    return case, rights
