"""Transparent risk: the score is the sum of the taxonomy weights of the signs seen.

Nothing is hidden in a model: the result lists every contribution with its weight and the
published source it comes from. Danger now and a possible child always make a referral urgent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from signpost.referrals import taxonomy
from signpost.referrals.models import RiskBand


@dataclass(frozen=True)
class Contribution:
    code: str
    label: str | Promise
    weight: int
    source: str


@dataclass(frozen=True)
class Assessment:
    score: int
    band: RiskBand
    contributions: tuple[Contribution, ...]
    reasons: tuple[str | Promise, ...]

    @property
    def urgent(self) -> bool:
        return self.band == RiskBand.URGENT


def high_threshold() -> int:
    """A score at or above this is "high" (default 8: e.g. a controlling boyfriend plus
    restricted movement)."""
    return int(settings.RISK_HIGH_THRESHOLD)


def assess(*, indicators: Iterable[str], danger_now: bool, possible_child: bool) -> Assessment:
    """Score and band from the indicators; unknown codes are ignored (forms reject them)."""
    contributions = []
    for code in dict.fromkeys(indicators):
        try:
            item = taxonomy.indicator(code)
        except KeyError:
            continue
        contributions.append(
            Contribution(
                code=item.code,
                label=item.label,
                weight=item.weight,
                source=f"{item.source.publisher}: {item.source.title}",
            )
        )
    score = sum(contribution.weight for contribution in contributions)
    reasons: list[str | Promise] = []
    if danger_now:
        reasons.append(_("Someone is in danger now."))
    if possible_child:
        reasons.append(_("The person may be under 18."))
    if reasons:
        band = RiskBand.URGENT
    elif score >= high_threshold():
        band = RiskBand.HIGH
    else:
        band = RiskBand.STANDARD
    return Assessment(
        score=score, band=band, contributions=tuple(contributions), reasons=tuple(reasons)
    )
