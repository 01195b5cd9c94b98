"""The project's URLs with the public statistics mounted as the lead developer is asked to:
under the language prefix at /<lang>/statistics/. Used by the browser test until then."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from signpost.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    *i18n_patterns(
        path("statistics/", include("signpost.insights.public_urls")),
        prefix_default_language=True,
    ),
]
