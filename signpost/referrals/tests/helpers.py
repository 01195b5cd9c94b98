"""Shared test data for the referrals app."""

from __future__ import annotations

from typing import Any

from signpost.core.models import Area


def partner_data(area: Area, **overrides: Any) -> dict[str, Any]:
    """What PartnerReferralForm would hand the service, for a non-urgent referral."""
    data: dict[str, Any] = {
        "danger_now": False,
        "indicators": ["controlling_boyfriend", "restricted_movement"],
        "area": area,
        "place_description": "Outside the late-night shop on Hurst Street",
        "latitude": None,
        "longitude": None,
        "occurred_at": None,
        "person_description": "Woman in her twenties, red coat",
        "age_band": "18_24",
        "languages": ["ro"],
        "nationality": "RO",
        "contact_consent": "yes",
        "contact_method": "whatsapp",
        "contact_value": "07700 900982",
        "safe_times": "Mornings",
        "contact_language": "ro",
        "what_is_happening": "",
    }
    data.update(overrides)
    return data


def partner_post(area: Area, **overrides: Any) -> dict[str, Any]:
    """The same as a browser would post it."""
    post: dict[str, Any] = {
        "danger_now": "no",
        "indicators": ["controlling_boyfriend", "restricted_movement"],
        "area": str(area.pk),
        "place_description": "Outside the late-night shop on Hurst Street",
        "person_description": "Woman in her twenties, red coat",
        "age_band": "18_24",
        "languages": ["ro"],
        "nationality": "RO",
        "contact_consent": "yes",
        "contact_method": "whatsapp",
        "contact_value": "07700 900982",
        "safe_times": "Mornings",
        "contact_language": "ro",
    }
    post.update(overrides)
    return post


def extra_user(world_region: Any, role: str, email: str, **attributes: Any) -> Any:
    """Another user of a role in the region, covering all its areas."""
    from signpost.testing.factories import MembershipFactory, UserFactory

    organisation = world_region.partner if role == "volunteer" else world_region.charity
    user = UserFactory(email=email, **attributes)
    MembershipFactory(user=user, organisation=organisation, role=role, areas=world_region.areas)
    return user
