"""Public statistics pages. To be mounted under the language prefix, e.g. /<lang>/statistics/:
path("statistics/", include("signpost.insights.public_urls")) inside i18n_patterns.
"""

from django.urls import path

from signpost.insights import public_views

app_name = "insights_public"

urlpatterns = [
    path("", public_views.published_list, name="list"),
    path("<int:pk>/", public_views.published_detail, name="detail"),
    path("<int:pk>/statistics.csv", public_views.published_csv, name="csv"),
    path("<int:pk>/statistics.pdf", public_views.published_pdf, name="pdf"),
]
