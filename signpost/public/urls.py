"""Public pages, under the language prefix (/en/..., /ro/...)."""

from django.urls import path

from signpost.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("spot-the-signs/", views.signs, name="signs"),
    path("how-we-help/", views.how_we_help, name="how_we_help"),
    path("your-rights/", views.rights, name="rights"),
    path("get-help-now/", views.get_help, name="get_help"),
    path("ask-for-help/", views.self_referral, name="self_referral"),
]
