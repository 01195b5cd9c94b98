from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from signpost.core.views.health import healthz

admin.site.site_header = "Signpost configuration"
admin.site.site_title = "Signpost"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin signs in through Signpost's own sign-in, with its second factor.
    path("staff/admin/login/", RedirectView.as_view(pattern_name="core:sign_in")),
    path("staff/admin/", admin.site.urls),
    path("staff/referrals/", include("signpost.referrals.urls")),
    path("staff/cases/", include("signpost.cases.urls")),
    path("staff/adverts/", include("signpost.adverts.urls")),
    path("staff/outreach/", include("signpost.outreach.urls")),
    path("staff/intel/", include("signpost.intel.urls")),
    path("staff/insights/", include("signpost.insights.urls")),
    path("staff/", include("signpost.core.urls")),
    path("", include("signpost.public.unprefixed_urls")),
]
# Anonymous public pages, under a language prefix (/en/..., /ro/...). The public app also
# serves /q/<token> through signpost.public.unprefixed_urls.
urlpatterns += i18n_patterns(
    path("statistics/", include("signpost.insights.public_urls")),
    path("", include("signpost.public.urls")),
    prefix_default_language=True,
)
