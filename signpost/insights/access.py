"""Who sees which part of the insights, from the access matrix in DESIGN.md.

The dashboard shows counts, but counts about a region's referrals and cases are still the
charity's work, so each section follows the matrix column it summarises:

| section                              | lead | analyst | handler     | investigator |
|--------------------------------------|------|---------|-------------|--------------|
| referrals (sources, areas, ...)      | yes  | yes     | own areas   | no           |
| response times                       | yes  | yes     | own areas   | no           |
| overdue referrals (references)       | yes  | no      | own areas   | no           |
| cases: types, outcomes, NRM          | yes  | yes     | no          | no           |
| caseload per investigator (names)    | yes  | no      | no          | no           |
| outreach attribution                 | yes  | yes     | yes         | yes          |
| adverts (groups, towns, alerts)      | yes  | yes     | no          | yes          |

Volunteers, police liaison and admins have no dashboard (404). A partner organisation's
coordinator sees that organisation's own figures, suppressed, on the partner page. Statistics:
leads and analysts of the region preview and download them; leads and admins publish.
Everything is for the user's own region; other regions do not exist for them (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from signpost.core import access
from signpost.core.models import User
from signpost.core.roles import Role

SECTION_ROLES: dict[str, frozenset[str]] = {
    "referrals": frozenset({Role.LEAD, Role.ANALYST, Role.HANDLER}),
    "response": frozenset({Role.LEAD, Role.ANALYST, Role.HANDLER}),
    "overdue": frozenset({Role.LEAD, Role.HANDLER}),
    "cases": frozenset({Role.LEAD, Role.ANALYST}),
    "caseload": frozenset({Role.LEAD}),
    "outreach": frozenset({Role.LEAD, Role.ANALYST, Role.HANDLER, Role.INVESTIGATOR}),
    "adverts": frozenset({Role.LEAD, Role.ANALYST, Role.INVESTIGATOR}),
}
DASHBOARD_ROLES = frozenset().union(*SECTION_ROLES.values())
# Roles that see the whole region; the rest see the areas of their memberships.
REGION_WIDE_ROLES = (Role.LEAD, Role.ANALYST)
STATISTICS_VIEW_ROLES = (Role.LEAD, Role.ANALYST, Role.ADMIN)
STATISTICS_PUBLISH_ROLES = (Role.LEAD, Role.ADMIN)


@dataclass(frozen=True)
class DashboardScope:
    region_id: int
    sections: frozenset[str]
    # None: the whole region; otherwise only these areas.
    area_ids: frozenset[int] | None

    def shows(self, section: str) -> bool:
        return section in self.sections


def dashboard_region_ids(user: User) -> list[int]:
    return sorted(access.region_ids_for(user, *DASHBOARD_ROLES))


def chosen_region(region_ids: list[int], asked: str | None) -> int | None:
    """The region asked for among the user's own, their first when none is asked for; None
    when the one asked for is not theirs (the caller answers 404)."""
    if not region_ids:
        return None
    if not asked:
        return region_ids[0]
    return int(asked) if asked.isdigit() and int(asked) in region_ids else None


def dashboard_scope(user: User, region_id: int | None = None) -> DashboardScope | None:
    """The user's dashboard for one of their regions (the first by default), or None: no
    dashboard there."""
    region_ids = dashboard_region_ids(user)
    if region_id is None and region_ids:
        region_id = region_ids[0]
    if region_id not in region_ids:
        return None
    roles = {
        m.role for m in access.active_memberships(user) if m.organisation.region_id == region_id
    }
    sections = frozenset(name for name, allowed in SECTION_ROLES.items() if roles & allowed)
    region_wide = bool(roles & set(REGION_WIDE_ROLES))
    area_ids = None
    if not region_wide:
        area_ids = frozenset(
            area.pk
            for membership in access.active_memberships(user)
            if membership.organisation.region_id == region_id and membership.role in roles
            for area in membership.areas.all()
        )
    return DashboardScope(region_id=region_id, sections=sections, area_ids=area_ids)


def statistics_region_ids(user: User) -> list[int]:
    return sorted(access.region_ids_for(user, *STATISTICS_VIEW_ROLES))


def may_publish(user: User, region_id: int) -> bool:
    return region_id in access.region_ids_for(user, *STATISTICS_PUBLISH_ROLES)


def coordinated_organisations(user: User) -> list[tuple[int, int]]:
    """(organisation id, region id) of each partner organisation the user coordinates."""
    return sorted(
        {
            (membership.organisation_id, membership.organisation.region_id)
            for membership in access.memberships_with(user, Role.VOLUNTEER)
            if membership.is_coordinator
        }
    )
