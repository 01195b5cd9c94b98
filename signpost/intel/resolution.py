"""Entity resolution for people across case files and referrals.

A run proposes pairs of records that may be the same person: exact when they share an
identifier (blind index), probabilistic (Splink, see matching.py) on names, birth dates or ages,
places and nationality. Proposals wait in a review queue; records become one person only when a
lead or analyst confirms it (audited), and can be split again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.cases import access as case_rules
from signpost.cases.models import Identifier, Person, Place
from signpost.core import access
from signpost.core.audit import audit_record
from signpost.core.models import AuditEvent, Region, User
from signpost.core.roles import Role
from signpost.intel import matching
from signpost.intel.models import MatchCandidate, MatchStatus, ResolvedMember, ResolvedPerson
from signpost.referrals.models import Referral

Action = AuditEvent.Action
EXACT_WEIGHT = 20.0
PROPOSAL_THRESHOLD = 3.0

REASON_LABELS = {
    "same_phone": _("Same phone number"),
    "same_email": _("Same email address"),
    "same_handle": _("Same social media handle"),
    "same_vehicle": _("Same vehicle"),
    "same_document": _("Same document number"),
    "same_name": _("Same name (in any order, nicknames and diacritics allowed)"),
    "swapped_order": _("Same names, first name and surname swapped"),
    "different_date_of_birth": _("Different dates of birth"),
    "same_first_similar_surname": _("Same first name or nickname, similar surname"),
    "swapped_similar": _("Similar names, swapped"),
    "similar_name": _("Similar name"),
    "same_surname": _("Same surname only"),
    "same_first_name": _("Same first name only"),
    "different_name": _("Different names"),
    "same_date_of_birth": _("Same date of birth"),
    "same_birth_year": _("Same year of birth (from a date or an age)"),
    "birth_year_within_1": _("Years of birth a year apart"),
    "birth_year_within_2": _("Years of birth within two years"),
    "different_age": _("Different ages"),
    "same_postcode": _("Same postcode"),
    "same_district_or_town": _("Same postcode district or town"),
    "different_place": _("Different places"),
    "same_nationality": _("Same nationality"),
    "different_nationality": _("Different nationality"),
}


def person_key(pk: int) -> str:
    return f"person:{pk}"


def referral_key(pk: int) -> str:
    return f"referral:{pk}"


# --- The run -------------------------------------------------------------------------------------


def _person_records(region: Region) -> list[dict[str, Any]]:
    today = timezone.localdate()
    postcodes: dict[int, str] = {}
    for person_id, postcode in Place.objects.filter(
        case__region=region, person__isnull=False
    ).values_list("person_id", "postcode"):
        if postcode and person_id not in postcodes:
            postcodes[person_id] = postcode
    records = []
    people = Person.objects.filter(case__region=region).only(
        "pk", "full_name", "date_of_birth", "estimated_age", "nationality"
    )
    for person in people.iterator(chunk_size=2000):
        records.append(
            matching.prepare(
                key=person_key(person.pk),
                full_name=person.full_name,
                date_of_birth=person.date_of_birth,
                age=person.estimated_age,
                postcode=postcodes.get(person.pk, ""),
                nationality=person.nationality,
                on=today,
            )
        )
    return records


def _exact_pairs(region: Region) -> dict[tuple[str, str], set[str]]:
    """Records that share an identifier: a person's own identifiers, a referral's contact."""
    holders: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for person_id, kind, index in Identifier.objects.filter(
        case__region=region, person__isnull=False
    ).values_list("person_id", "kind", "value_index"):
        holders[index].add(person_key(person_id))
        kinds[index] = kind
    for pk, phone_index, email_index in Referral.objects.filter(region=region).values_list(
        "pk", "phone_index", "email_index"
    ):
        for kind, index in (("phone", phone_index), ("email", email_index)):
            if index:
                holders[index].add(referral_key(pk))
                kinds[index] = kind
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for index, keys in holders.items():
        if len(keys) < 2 or len(keys) > 50:
            # An identifier shared by very many records (a switchboard) says nothing about one.
            continue
        ordered = sorted(keys)
        for i, left in enumerate(ordered):
            for right in ordered[i + 1 :]:
                pairs[(left, right)].add(f"same_{kinds[index]}")
    return pairs


@dataclass
class RunResult:
    records: int
    exact: int
    probabilistic: int
    proposed: int


def resolution_run(*, region: Region, by: User | None = None) -> RunResult:
    """Propose matches for the region. Decided pairs keep their decision."""
    records = _person_records(region)
    exact = _exact_pairs(region)
    predicted = matching.predict(records, threshold_weight=PROPOSAL_THRESHOLD)
    proposals: dict[tuple[str, str], dict[str, Any]] = {}
    for match in predicted:
        proposals[(match.left, match.right)] = {
            "match_weight": match.match_weight,
            "match_probability": match.match_probability,
            "reasons": match.reasons,
            "exact": False,
        }
    for pair, reasons in exact.items():
        existing = proposals.get(pair, {"reasons": []})
        proposals[pair] = {
            "match_weight": EXACT_WEIGHT,
            "match_probability": 1.0,
            "reasons": sorted(reasons) + [r for r in existing["reasons"] if r not in reasons],
            "exact": True,
        }
    already_one = _members_by_resolved()
    with transaction.atomic():
        decided = set(
            MatchCandidate.objects.filter(region=region)
            .exclude(status=MatchStatus.PROPOSED)
            .values_list("left_key", "right_key")
        )
        rows = [
            MatchCandidate(left_key=left, right_key=right, region=region, **values)
            for (left, right), values in proposals.items()
            if (left, right) not in decided
            and already_one.get(left, -1) != already_one.get(right, -2)
        ]
        # One statement per batch instead of a read and a write per pair (tens of thousands of
        # pairs at 200,000 records); a pair still proposed gets its new weight and reasons.
        MatchCandidate.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["left_key", "right_key"],
            update_fields=["region", "match_weight", "match_probability", "reasons", "exact"],
        )
        proposed = len(rows)
        audit_record(
            actor=by,
            action=Action.CREATE,
            target_type="intel.resolutionrun",
            target_id=region.slug,
            region=region,
            details={"records": len(records), "proposed": proposed},
        )
    return RunResult(
        records=len(records), exact=len(exact), probabilistic=len(predicted), proposed=proposed
    )


def _members_by_resolved() -> dict[str, int]:
    return dict(ResolvedMember.objects.values_list("record_key", "resolved_id"))


# --- Access --------------------------------------------------------------------------------------


def _regions(user: User) -> set[int]:
    return access.region_ids_for(user, Role.LEAD, Role.ANALYST)


def candidates_for(user: User, limit: int = 100) -> list[MatchCandidate]:
    return list(
        MatchCandidate.objects.filter(
            region_id__in=_regions(user), status=MatchStatus.PROPOSED
        ).order_by("-match_weight", "id")[:limit]
    )


def candidate_for(user: User, pk: object) -> MatchCandidate:
    queryset = MatchCandidate.objects.filter(region_id__in=_regions(user))
    return access.get_or_deny(queryset, user=user, pk=pk, target_type="intel.matchcandidate")


def resolved_for(user: User, limit: int = 50) -> list[dict[str, Any]]:
    resolved = ResolvedPerson.objects.filter(region_id__in=_regions(user)).prefetch_related(
        "members"
    )[:limit]
    return [
        {
            "resolved": item,
            "members": [
                _describe_record(m.record_key, user) | {"member": m} for m in item.members.all()
            ],
        }
        for item in resolved
    ]


def member_for(user: User, pk: object) -> ResolvedMember:
    queryset = ResolvedMember.objects.filter(resolved__region_id__in=_regions(user))
    return access.get_or_deny(queryset, user=user, pk=pk, target_type="intel.resolvedmember")


# --- Showing a pair ------------------------------------------------------------------------------


def _describe_record(key: str, user: User) -> dict[str, Any]:
    kind, _sep, raw_pk = key.partition(":")
    full_cases = case_rules.cases_with_full_access(user)
    if kind == "person":
        person = Person.objects.select_related("case").filter(pk=raw_pk).first()
        if person is None:
            return {"key": key, "label": str(_("Record no longer exists")), "details": []}
        shows_details = full_cases.filter(pk=person.case_id).exists()
        label = person.full_name if shows_details else f"{person.get_role_display()} {person.pk}"
        details = [
            str(person.get_role_display()),
            str(_("Case %(reference)s") % {"reference": person.case.reference}),
        ]
        if shows_details:
            if person.date_of_birth:
                details.append(str(_("Born %(date)s") % {"date": person.date_of_birth}))
            elif person.estimated_age is not None:
                details.append(str(_("About %(age)s years old") % {"age": person.estimated_age}))
            if person.nationality:
                details.append(person.nationality)
        return {"key": key, "label": label, "details": details, "case_id": person.case_id}
    referral = Referral.objects.filter(pk=raw_pk).only("pk", "reference", "created_at").first()
    if referral is None:
        return {"key": key, "label": str(_("Record no longer exists")), "details": []}
    return {
        "key": key,
        "label": str(_("Referral %(reference)s") % {"reference": referral.reference}),
        "details": [referral.created_at.date().isoformat()],
    }


def describe(candidates: list[MatchCandidate], *, user: User) -> list[dict[str, Any]]:
    return [
        {
            "candidate": candidate,
            "left": _describe_record(candidate.left_key, user),
            "right": _describe_record(candidate.right_key, user),
            "reasons": [str(REASON_LABELS.get(reason, reason)) for reason in candidate.reasons],
        }
        for candidate in candidates
    ]


# --- Decisions -----------------------------------------------------------------------------------


def match_confirm(*, candidate: MatchCandidate, by: User) -> ResolvedPerson:
    """The two records are one person: join (or merge) their resolved people."""
    with transaction.atomic():
        candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != MatchStatus.PROPOSED:
            raise ValidationError(_("This match has already been decided."))
        members = {
            member.record_key: member
            for member in ResolvedMember.objects.select_for_update().filter(
                record_key__in=[candidate.left_key, candidate.right_key]
            )
        }
        resolved_ids = sorted({member.resolved_id for member in members.values()})
        if resolved_ids:
            resolved = ResolvedPerson.objects.get(pk=resolved_ids[0])
            # Two resolved people become one: move the other's records across.
            ResolvedMember.objects.filter(resolved_id__in=resolved_ids[1:]).update(
                resolved=resolved
            )
            ResolvedPerson.objects.filter(pk__in=resolved_ids[1:]).delete()
        else:
            resolved = ResolvedPerson.objects.create(region=candidate.region)
        for key in (candidate.left_key, candidate.right_key):
            if key not in members:
                ResolvedMember.objects.create(resolved=resolved, record_key=key, added_by=by)
        candidate.status = MatchStatus.CONFIRMED
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=candidate,
            details={"decision": "confirm", "resolved_id": resolved.pk},
        )
    return resolved


def match_reject(*, candidate: MatchCandidate, by: User) -> MatchCandidate:
    with transaction.atomic():
        candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != MatchStatus.PROPOSED:
            raise ValidationError(_("This match has already been decided."))
        candidate.status = MatchStatus.REJECTED
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=by, action=Action.UPDATE, target=candidate, details={"decision": "reject"}
        )
    return candidate


def member_split(*, member: ResolvedMember, by: User) -> None:
    """Take a record out of its resolved person again; a person of one record is dissolved."""
    with transaction.atomic():
        resolved = ResolvedPerson.objects.select_for_update().get(pk=member.resolved_id)
        key = member.record_key
        member.delete()
        remaining = list(resolved.members.values_list("record_key", flat=True))
        affected: QuerySet[MatchCandidate] = MatchCandidate.objects.filter(
            status=MatchStatus.CONFIRMED
        ).filter(left_key=key) | MatchCandidate.objects.filter(
            status=MatchStatus.CONFIRMED, right_key=key
        )
        affected.update(status=MatchStatus.SPLIT, decided_by=by, decided_at=timezone.now())
        if len(remaining) < 2:
            resolved.members.all().delete()
            resolved.delete()
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target_type="intel.resolvedperson",
            target_id=str(member.resolved_id),
            region=resolved.region,
            details={"decision": "split", "remaining": len(remaining)},
        )
