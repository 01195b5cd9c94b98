import pytest

from signpost.core.roles import Role
from signpost.testing.browser import assert_accessible, current_totp, sign_in_as
from signpost.testing.factories import TEST_PASSWORD, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAVIGATION = {
    Role.VOLUNTEER: (["Home", "Account"], ["Audit log", "Configuration"]),
    Role.LEAD: (["Home", "Audit log", "Account"], ["Configuration"]),
    Role.ADMIN: (["Home", "Audit log", "Configuration", "Account"], []),
    Role.POLICE_LIAISON: (["Home", "Account"], ["Audit log", "Configuration"]),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_with_password_and_totp_and_sees_its_navigation(
    page, live_server, world, role
):
    user = world.a.users[role.value]
    sign_in_as(page, live_server, user)
    nav = page.get_by_role("navigation", name="Main")
    shown, hidden = NAVIGATION.get(role, (["Home", "Account"], ["Configuration"]))
    for label in shown:
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    for label in hidden:
        assert nav.get_by_role("link", name=label, exact=True).count() == 0
    assert page.get_by_test_id("role").first.inner_text().startswith(str(role.label))
    assert_accessible(page)


def test_wrong_code_is_refused(page, live_server, world):
    user = world.a.investigator
    totp_device_for(user)
    page.goto(f"{live_server.url}/staff/sign-in/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    right = current_totp(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("That code is not right").first.is_visible()
    page.goto(f"{live_server.url}/staff/")
    assert "/staff/two-factor/" in page.url


def test_govuk_frontend_components_start_without_script_errors(page, live_server, world):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/staff/sign-in/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    assert errors == []
