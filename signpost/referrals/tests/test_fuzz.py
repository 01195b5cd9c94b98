"""Hostile input at both referral forms: never a 500, never a partial row, markup never
rendered as markup on the pages that show a referral later."""

import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from signpost.core.models import AuditEvent
from signpost.referrals import services
from signpost.referrals.forms import SelfReferralForm
from signpost.referrals.models import Referral

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>bold</b>",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "a\x00b",
    "\x1b[31mred",
    "\r\n\t",
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE referrals_referral; --",
    "+40 712 345 678",
    "07700 900982",
    "name@example.com",
    "\ud7ff\U0010ffff",
    "",
]

hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(PAYLOADS),
    # Huge input, cheaply: a short random piece repeated past every length limit.
    st.tuples(st.text(min_size=1, max_size=5), st.integers(500, 3000)).map(
        lambda piece: piece[0] * piece[1]
    ),
    st.lists(st.sampled_from(PAYLOADS), max_size=4).map("".join),
)


def choice_or_junk(values: list[str]) -> st.SearchStrategy[str]:
    """Mostly the first (valid) choice, so that submissions get through and their free text is
    stored and shown later; sometimes another choice; sometimes junk."""
    return st.integers(0, 9).flatmap(
        lambda roll: (
            hostile_text
            if roll == 0
            else st.just(values[0])
            if roll <= 5
            else st.sampled_from(values)
        )
    )


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MARKUP = re.compile(r"<(script|img|b)[\s>]", re.IGNORECASE)


def post_data(draw_values: dict) -> dict:
    return {key: value for key, value in draw_values.items() if value is not None}


def rendered_main(html: str) -> str:
    """The page's main element: where submitted text shows (the layout has its own scripts)."""
    return html[html.index('id="main-content"') : html.index("</main>")]


@FUZZ
@given(
    values=st.fixed_dictionaries(
        {
            "what_is_happening": hostile_text,
            "area": choice_or_junk(["", "1", "2", "999999", "-1"]),
            "town": hostile_text,
            "who_at_risk": choice_or_junk(["me", "someone_else", "several", "unsure"]),
            "danger_now": choice_or_junk(["yes", "no"]),
            "contact_method": choice_or_junk(["none", "phone", "whatsapp", "email", "partner"]),
            "contact_value": hostile_text,
            "safe_times": hostile_text,
            "contact_language": choice_or_junk(["en", "ro", "sq", "pl", "vi"]),
            "website": choice_or_junk([""]),
        }
    )
)
def test_self_referral_form_and_service_never_fail_or_half_save(world, signed_in, values):
    before = Referral.objects.count(), AuditEvent.objects.filter(action="create").count()
    form = SelfReferralForm(data=post_data(values))
    valid = form.is_valid()
    event(f"valid={valid} bot={form.is_bot}")
    if valid and not form.is_bot:
        referral = services.referral_submit_self(data=form.cleaned_data)
        after = Referral.objects.count(), AuditEvent.objects.filter(action="create").count()
        assert after == (before[0] + 1, before[1] + 1)
        for field in ("what_is_happening", "safe_times", "place_description", "contact_value"):
            stored = getattr(referral, field) or ""
            assert "\u202e" not in stored and "\x00" not in stored
        page = signed_in(world.a.lead).get(f"/staff/referrals/{referral.pk}/")
        assert page.status_code in (200, 404)
        if page.status_code == 200:
            assert not MARKUP.search(rendered_main(page.content.decode()))
    else:
        assert (Referral.objects.count(), AuditEvent.objects.filter(action="create").count()) == (
            before
        )


@FUZZ
@given(
    values=st.fixed_dictionaries(
        {
            "danger_now": choice_or_junk(["yes", "no"]),
            "indicators": st.lists(
                choice_or_junk(["injuries", "controlling_boyfriend", "advert_youth"]), max_size=4
            ),
            "area": choice_or_junk(["AREA"]),
            "place_description": hostile_text,
            "latitude": choice_or_junk(["52.47", "91", "nan", "inf"]),
            "longitude": choice_or_junk(["-1.89", "-181", "1e308"]),
            "occurred_at": choice_or_junk(["", "9999-12-31T23:59", "0001-01-01T00:00"]),
            "person_description": hostile_text,
            "age_band": choice_or_junk(["under_18", "18_24", "unknown"]),
            "languages": st.lists(choice_or_junk(["ro", "en", "vi"]), max_size=3),
            "nationality": choice_or_junk(["", "RO", "AL"]),
            "contact_consent": choice_or_junk(["yes", "no", "not_asked"]),
            "contact_method": choice_or_junk(["none", "phone", "whatsapp", "email", "partner"]),
            "contact_value": hostile_text,
            "safe_times": hostile_text,
            "contact_language": choice_or_junk(["", "ro", "en"]),
            "what_is_happening": hostile_text,
        }
    )
)
def test_partner_referral_page_never_fails_or_half_saves(world, signed_in, values):
    check_partner_post(world, signed_in, post_data(values))


# Free text that fits the length limits, so that the referral is saved and shown again.
storable_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(PAYLOADS),
    st.lists(st.sampled_from(PAYLOADS), max_size=4).map("".join),
)


@FUZZ
@given(
    values=st.fixed_dictionaries(
        {
            "danger_now": st.sampled_from(["yes", "no"]),
            "indicators": st.lists(st.sampled_from(["injuries", "debt_bondage"]), max_size=2),
            "area": st.just("AREA"),
            "place_description": storable_text,
            "person_description": storable_text,
            "age_band": st.sampled_from(["under_18", "18_24", "unknown"]),
            "languages": st.lists(st.sampled_from(["ro", "en", "vi"]), max_size=2),
            "contact_consent": st.sampled_from(["yes", "no", "not_asked"]),
            "contact_method": st.sampled_from(["none", "partner"]),
            "safe_times": storable_text,
            "what_is_happening": storable_text,
        }
    )
)
def test_hostile_text_in_a_saved_partner_referral_is_never_markup(world, signed_in, values):
    check_partner_post(world, signed_in, post_data(values))


def check_partner_post(world, signed_in, data: dict) -> None:
    client = signed_in(world.a.volunteer)
    if data["area"] == "AREA":
        data["area"] = str(world.a.areas[0].pk)
    before = Referral.objects.count(), AuditEvent.objects.filter(action="create").count()
    response = client.post("/staff/referrals/new/", data)
    assert response.status_code in (200, 302)
    event(f"status={response.status_code}")

    after = Referral.objects.count(), AuditEvent.objects.filter(action="create").count()
    if response.status_code == 200:
        assert after == before
        assert not MARKUP.search(rendered_main(response.content.decode()).split("<form")[0])
        return
    assert after == (before[0] + 1, before[1] + 1)
    referral = Referral.objects.order_by("-pk").first()
    for page in (
        client.get("/staff/referrals/mine/"),
        client.get(response["Location"]),
        signed_in(world.a.handler).get(f"/staff/referrals/{referral.pk}/"),
    ):
        assert page.status_code == 200
        assert not MARKUP.search(rendered_main(page.content.decode()))
