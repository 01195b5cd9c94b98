from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.core import navigation
from signpost.core.roles import Role
from signpost.core.views import auth, staff

app_name = "core"

urlpatterns = [
    path("", staff.home, name="home"),
    path("sign-in/", auth.sign_in, name="sign_in"),
    path("two-factor/", auth.two_factor, name="two_factor"),
    path("sign-out/", auth.sign_out, name="sign_out"),
    path("reauthenticate/", auth.reauthenticate, name="reauthenticate"),
    path("account/", staff.account, name="account"),
    path("account/recovery-codes/", auth.recovery_codes, name="recovery_codes"),
    path("account/language/", staff.language, name="language"),
    path("audit/", staff.audit_log, name="audit_log"),
]

ALL_ROLES = frozenset(Role.values)
navigation.register(navigation.NavItem(_("Home"), "core:home", ALL_ROLES, order=0))
navigation.register(
    navigation.NavItem(_("Audit log"), "core:audit_log", frozenset({Role.LEAD, Role.ADMIN}), 900)
)
navigation.register(
    navigation.NavItem(_("Configuration"), "admin:index", frozenset({Role.ADMIN}), 950)
)
navigation.register(navigation.NavItem(_("Account"), "core:account", ALL_ROLES, order=990))
