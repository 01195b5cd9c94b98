import pytest

from signpost.core.models import AuditEvent, Membership
from signpost.core.roles import Role
from signpost.referrals import services
from signpost.referrals.models import Referral
from signpost.referrals.tests.helpers import partner_data, partner_post
from signpost.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_volunteer_submits_an_urgent_referral_and_is_told_to_call_999(world, signed_in):
    client = signed_in(world.a.volunteer)
    form = client.get("/staff/referrals/new/")
    assert form.status_code == 200
    assert b"Call 999 now" in form.content  # present for the script to reveal
    assert b'id="call-999" hidden' in form.content
    response = client.post(
        "/staff/referrals/new/", partner_post(world.a.areas[0], danger_now="yes")
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.urgent and referral.danger_now
    page = client.get(response["Location"])
    content = page.content.decode()
    main = content[content.index('id="main-content"') :]
    assert main.index("Call 999 now") < main.index(referral.reference)
    assert 'href="tel:999"' in content
    listing = client.get("/staff/referrals/mine/").content.decode()
    assert referral.reference in listing
    assert "Received" in listing


def test_form_errors_are_shown_and_nothing_is_saved(world, signed_in):
    client = signed_in(world.a.volunteer)
    response = client.post(
        "/staff/referrals/new/",
        partner_post(world.a.areas[0], contact_value="123", contact_consent="no"),
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Only give a way to contact them directly if they agreed to it." in response.content
    assert Referral.objects.count() == 0


def test_area_outside_the_volunteers_region_is_refused(world, signed_in):
    client = signed_in(world.a.volunteer)
    response = client.post("/staff/referrals/new/", partner_post(world.b.areas[0]))
    assert response.status_code == 200
    assert Referral.objects.count() == 0


def test_volunteers_see_only_their_own_submissions_and_only_their_status(world, signed_in):
    mine = services.referral_submit_partner(
        data=partner_data(world.a.areas[0]), by=world.a.volunteer
    )
    colleague = UserFactory(email="colleague@west-midlands.example.org")
    MembershipFactory(user=colleague, organisation=world.a.partner, role=Role.VOLUNTEER)
    theirs = services.referral_submit_partner(data=partner_data(world.a.areas[0]), by=colleague)
    client = signed_in(world.a.volunteer)
    listing = client.get("/staff/referrals/mine/").content.decode()
    assert mine.reference in listing
    assert theirs.reference not in listing
    assert client.get(f"/staff/referrals/mine/{theirs.pk}/").status_code == 404
    own_page = client.get(f"/staff/referrals/mine/{mine.pk}/").content.decode()
    # Nothing of the charity's work and none of the personal data shows to the submitter.
    assert "Hurst Street" not in own_page
    assert "High" not in own_page
    assert AuditEvent.objects.filter(action="access_denied", target_id=str(theirs.pk)).exists()


def test_a_partner_coordinator_sees_the_organisations_submissions(world, signed_in):
    colleague = UserFactory(email="colleague@west-midlands.example.org")
    MembershipFactory(user=colleague, organisation=world.a.partner, role=Role.VOLUNTEER)
    theirs = services.referral_submit_partner(data=partner_data(world.a.areas[0]), by=colleague)
    Membership.objects.filter(user=world.a.volunteer).update(is_coordinator=True)
    client = signed_in(world.a.volunteer)
    assert theirs.reference in client.get("/staff/referrals/mine/").content.decode()
    assert client.get(f"/staff/referrals/mine/{theirs.pk}/").status_code == 200


def test_other_partners_and_outsiders_get_404(world, signed_in):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0]), by=world.a.volunteer
    )
    Membership.objects.filter(user=world.b.volunteer).update(is_coordinator=True)
    outsider = signed_in(world.b.volunteer)
    assert outsider.get(f"/staff/referrals/mine/{referral.pk}/").status_code == 404
    assert referral.reference not in outsider.get("/staff/referrals/mine/").content.decode()
    for role in (Role.HANDLER, Role.LEAD):
        client = signed_in(world.b.users[role.value])
        assert client.get(f"/staff/referrals/{referral.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.HANDLER, "/staff/referrals/new/"),
        (Role.INVESTIGATOR, "/staff/referrals/new/"),
        (Role.INVESTIGATOR, "/staff/referrals/mine/"),
        (Role.POLICE_LIAISON, "/staff/referrals/mine/"),
        (Role.ADMIN, "/staff/referrals/agency/"),
        (Role.VOLUNTEER, "/staff/referrals/agency/"),
        (Role.ANALYST, "/staff/referrals/agency/"),
    ],
)
def test_roles_without_access_get_404(world, signed_in, role, path):
    assert signed_in(world.a.users[role.value]).get(path).status_code == 404


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.INVESTIGATOR, Role.ANALYST, Role.ADMIN])
def test_referral_page_is_for_intake_only(world, signed_in, role):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0]), by=world.a.volunteer
    )
    assert (
        signed_in(world.a.users[role.value]).get(f"/staff/referrals/{referral.pk}/").status_code
        == 404
    )


def test_handler_keys_an_agency_referral_and_markup_is_shown_as_text(world, signed_in):
    client = signed_in(world.a.handler)
    assert client.get("/staff/referrals/agency/").status_code == 200
    response = client.post(
        "/staff/referrals/agency/",
        partner_post(
            world.a.areas[1],
            referrer_details="<b>PC Smith</b>",
            what_is_happening='<script>alert("x")</script><img src=x onerror=alert(1)>',
        ),
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.source == "agency"
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;PC Smith" in page
    assert AuditEvent.objects.filter(
        action="view", actor=world.a.handler, target_id=str(referral.pk)
    ).exists()


def test_navigation_entries(world, signed_in):
    volunteer = signed_in(world.a.volunteer).get("/staff/").content.decode()
    handler = signed_in(world.a.handler).get("/staff/").content.decode()
    assert "Report what you saw" in volunteer and "My referrals" in volunteer
    assert "Referral from an agency" not in volunteer
    assert "Referral from an agency" in handler and "Report what you saw" not in handler


def test_pages_follow_the_staff_members_language(world, signed_in):
    world.a.volunteer.language = "ro"
    world.a.volunteer.save()
    page = signed_in(world.a.volunteer).get("/staff/referrals/new/").content.decode()
    assert "Raportați ce ați văzut" in page
    assert "Un „iubit” care o controlează" in page  # the taxonomy's own Romanian label
