"""Reads of case data. Functions taking a user narrow to what that user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from signpost.cases import access as case_access_rules
from signpost.cases.models import (
    Case,
    CaseStatus,
    Identifier,
    IdentifierKind,
    NrmReferral,
    Person,
    Place,
    SafeguardingAction,
    SupportReferral,
    Task,
    TimelineEntry,
)
from signpost.core import crypto
from signpost.core.models import Organisation, User

TIMELINE_PAGE_SIZE = 50


def identifiers_matching(*, indexes: list[str], user: User | None = None) -> QuerySet[Identifier]:
    """Identifiers (with their case) whose blind index is one of `indexes`.

    With a user, only identifiers on cases that user may see. Without one (system matching,
    e.g. advert alerts), every case: callers must not show the result to anyone unscoped.
    """
    queryset = Identifier.objects.filter(value_index__in=list(indexes)).select_related(
        "case", "case__region", "case__area"
    )
    if user is not None:
        queryset = queryset.filter(case_access_rules.case_scope(user))
    return queryset.order_by("case_id", "kind", "id")


def identifier_indexes() -> set[str]:
    """The blind index of every case's every identifier. For system matching only (advert
    alerts screen a big import's contacts against it): no user's scope applies."""
    return set(Identifier.objects.values_list("value_index", flat=True).distinct())


def people_matching_name(*, name_indexes: list[str], user: User | None = None) -> QuerySet[Person]:
    queryset = Person.objects.filter(name_index__in=list(name_indexes)).select_related("case")
    if user is not None:
        queryset = queryset.filter(case_access_rules.case_scope(user))
    return queryset


def cases_list_for_user(user: User, *, include_closed: bool = False) -> QuerySet[Case]:
    queryset = case_access_rules.cases_for_user(user).select_related(
        "area", "lead_investigator", "team"
    )
    if not include_closed:
        queryset = queryset.exclude(status=CaseStatus.CLOSED)
    return queryset.order_by("-created_at", "-id")


@dataclass
class CaseFile:
    """Everything shown on a case page, fetched in a fixed number of queries."""

    case: Case
    rights: case_access_rules.CaseAccess
    people: list[Person]
    identifiers: list[Identifier]
    places: list[Place]
    timeline: list[TimelineEntry] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    safeguarding_actions: list[SafeguardingAction] = field(default_factory=list)
    support_referrals: list[SupportReferral] = field(default_factory=list)
    nrm_referrals: list[NrmReferral] = field(default_factory=list)
    handlers: list[User] = field(default_factory=list)
    linked_referrals: list[Any] = field(default_factory=list)
    linked_cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def victims(self) -> list[Person]:
        return [person for person in self.people if person.is_victim]

    @property
    def victims_without_nrm(self) -> list[Person]:
        recorded = {record.person_id for record in self.nrm_referrals}
        return [person for person in self.victims if person.pk not in recorded]


def case_file(*, case: Case, user: User) -> CaseFile:
    """The case page's data, with what the user may not see left out (not merely hidden)."""
    rights = case_access_rules.case_access(user, case)
    people = list(case.people.all())
    if not rights.sees_personal_details:
        # Analysts see that people exist and their roles, and nothing that describes them.
        for person in people:
            _redact_person(person)
    identifiers = list(case.identifiers.all())
    places = list(case.places.all()) if rights.sees_personal_details else []
    result = CaseFile(
        case=case, rights=rights, people=people, identifiers=identifiers, places=places
    )
    result.linked_cases = linked_cases(case=case, user=user, identifiers=identifiers)
    result.linked_referrals = linked_referrals(case=case, user=user)
    if not rights.sees_personal_details:
        return result
    result.timeline = list(case.timeline.select_related("author").all()[:TIMELINE_PAGE_SIZE])
    result.tasks = list(case.tasks.select_related("assignee").all())
    result.safeguarding_actions = list(case.safeguarding_actions.all())
    result.support_referrals = list(case.support_referrals.select_related("provider").all())
    result.nrm_referrals = list(case.nrm_referrals.select_related("first_responder").all())
    result.handlers = list(case.handlers.all())
    people_by_id = {person.pk: person for person in people}
    for record in result.nrm_referrals:
        if record.person_id in people_by_id:
            record.person = people_by_id[record.person_id]
    return result


REDACTED_PERSON_FIELDS = (
    "full_name",
    "aliases",
    "date_of_birth",
    "estimated_age",
    "nationality",
    "languages",
    "description",
    "contact_details",
)


def _redact_person(person: Person) -> None:
    person.full_name = ""
    person.aliases = []
    person.date_of_birth = None
    person.estimated_age = None
    person.nationality = ""
    person.languages = []
    person.description = ""
    person.contact_details = ""
    person.redacted = True  # type: ignore[attr-defined]


def linked_cases(*, case: Case, user: User, identifiers: list[Identifier]) -> list[dict[str, Any]]:
    """Other cases the user may see that share an identifier with this one (one query)."""
    indexes = [identifier.value_index for identifier in identifiers]
    if not indexes:
        return []
    matches = (
        identifiers_matching(indexes=indexes, user=user)
        .exclude(case_id=case.pk)
        .values("case_id", "case__reference", "kind")
    )
    by_case: dict[int, dict[str, Any]] = {}
    for match in matches[:200]:
        entry = by_case.setdefault(
            match["case_id"],
            {"pk": match["case_id"], "reference": match["case__reference"], "kinds": set()},
        )
        entry["kinds"].add(match["kind"])
    labels = dict(IdentifierKind.choices)
    return [
        {**entry, "kinds": sorted(str(labels[kind]) for kind in entry["kinds"])}
        for entry in by_case.values()
    ]


def referral_model() -> Any:
    try:
        return apps.get_model("referrals", "Referral")
    except LookupError:
        return None


def _referral_has_case_link(model: Any) -> bool:
    return any(field.name == "case" for field in model._meta.get_fields())


def referrals_for_user(user: User) -> Any:
    """Referrals the user may see, by the referrals app's own rules, plus (when referrals
    carry a case) those linked to cases the user may see. None without the referrals app."""
    model = referral_model()
    if model is None:
        return None
    try:
        from signpost.referrals import access as referral_access
    except ImportError:
        return model.objects.none()
    whole_scope = getattr(referral_access, "referrals_for_user", None)
    if callable(whole_scope):
        return whole_scope(user)
    scoped = model.objects.none()
    triage_scope = getattr(referral_access, "triage_referrals_for", None)
    if callable(triage_scope):
        scoped = triage_scope(user)
    if _referral_has_case_link(model):
        scoped = scoped | model.objects.filter(case_access_rules.case_scope(user))
    return scoped


def referral_url(referral: Any) -> str:
    try:
        return reverse("referrals:detail", args=[referral.pk])
    except NoReverseMatch:
        return ""


def linked_referrals(*, case: Case, user: User) -> list[Any]:
    model = referral_model()
    if model is None or not _referral_has_case_link(model):
        return []
    scoped = referrals_for_user(user)
    if scoped is None:
        return []
    return list(scoped.filter(case_id=case.pk).only("pk", "reference", "created_at")[:50])


def support_providers(*, region_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=Organisation.Kind.SUPPORT_PROVIDER, region_id=region_id
    ).order_by("name")


def first_responders(*, region_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_first_responder=True, region_id=region_id).order_by(
        "name"
    )


# --- Staff search -------------------------------------------------------------------------------

SEARCHABLE_KINDS = list(IdentifierKind.values)


@dataclass
class SearchResults:
    cases: list[Case] = field(default_factory=list)
    referrals: list[Any] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.referrals) + len(self.identifiers)


def search_indexes(term: str, kinds: list[str] | None = None) -> list[str]:
    """The blind indexes a typed term could have, one per identifier kind that accepts it."""
    indexes = []
    for kind in kinds or SEARCHABLE_KINDS:
        try:
            indexes.append(crypto.blind_index(kind, term))
        except ValueError:
            continue
    return indexes


def staff_search(*, user: User, term: str, kind: str = "") -> SearchResults:
    """Exact matches only: a case reference, a referral reference, or an identifier."""
    term = term.strip()
    results = SearchResults()
    if not term:
        return results
    reference = term.upper()
    results.cases = list(
        case_access_rules.cases_for_user(user)
        .filter(reference=reference)
        .select_related("area", "lead_investigator")[:5]
    )
    scoped_referrals = referrals_for_user(user)
    if scoped_referrals is not None:
        results.referrals = list(scoped_referrals.filter(reference=reference)[:5])
        for referral in results.referrals:
            referral.detail_url = referral_url(referral)
    kinds = [kind] if kind in IdentifierKind.values else None
    results.identifiers = list(
        identifiers_matching(indexes=search_indexes(term, kinds), user=user)
        .select_related("person")
        .order_by("-case__created_at", "id")[:50]
    )
    return results


def active_case_statuses() -> list[str]:
    return [status for status in CaseStatus.values if status != CaseStatus.CLOSED]


def prefetch_people() -> Prefetch:
    return Prefetch("people", queryset=Person.objects.order_by("created_at", "id"))
