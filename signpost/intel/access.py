"""Who may see which intelligence report: the only way to fetch one for a user.

One rule a line, deny by default (DESIGN.md, "Who may do what", intelligence column):
- leads: every report of their region; they approve and disclose (never their own).
- investigators and analysts: reports they wrote, and reports on cases they may open.
- police liaison: only reports disclosed to their own force or agency, as disclosed.
- handlers, volunteers and admins: none.
Denial is a 404 with an access_denied audit event (signpost.core.access).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from signpost.cases.access import cases_for_user
from signpost.core import access
from signpost.core.models import User
from signpost.core.roles import Role
from signpost.intel.models import IntelReport, ReportStatus

TARGET_TYPE = "intel.intelreport"
AUTHOR_ROLES = (Role.INVESTIGATOR, Role.ANALYST, Role.LEAD)
STAFF_ROLES = (Role.INVESTIGATOR, Role.ANALYST, Role.LEAD)


def reports_for_staff(user: User) -> QuerySet[IntelReport]:
    if not user.is_authenticated or not user.is_active:
        return IntelReport.objects.none()
    condition = Q(pk__in=[])
    lead_regions = access.region_ids_for(user, Role.LEAD)
    if lead_regions:
        condition |= Q(region_id__in=lead_regions)
    author_regions = access.region_ids_for(user, Role.INVESTIGATOR, Role.ANALYST)
    if author_regions:
        condition |= Q(region_id__in=author_regions) & (
            Q(author_id=user.pk) | Q(case_id__in=cases_for_user(user).values("pk"))
        )
    return IntelReport.objects.filter(condition)


def report_for_staff(user: User, pk: object) -> IntelReport:
    queryset = reports_for_staff(user).select_related(
        "case", "region", "author", "approved_by", "disclosed_by", "disclosed_to", "previous"
    )
    return access.get_or_deny(queryset, user=user, pk=pk, target_type=TARGET_TYPE)


def reports_for_police(user: User) -> QuerySet[IntelReport]:
    organisations = access.organisation_ids_for(user, Role.POLICE_LIAISON)
    if not organisations:
        return IntelReport.objects.none()
    return IntelReport.objects.filter(
        status=ReportStatus.DISCLOSED, disclosed_to_id__in=organisations
    )


def report_for_police(user: User, pk: object) -> IntelReport:
    queryset = reports_for_police(user).select_related("disclosed_to", "acknowledged_by")
    return access.get_or_deny(queryset, user=user, pk=pk, target_type=TARGET_TYPE)


def may_approve(user: User, report: IntelReport) -> bool:
    return (
        report.region_id in access.region_ids_for(user, Role.LEAD) and report.author_id != user.pk
    )


def may_edit(user: User, report: IntelReport) -> bool:
    return report.status == ReportStatus.DRAFT and report.author_id == user.pk
