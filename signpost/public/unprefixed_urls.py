"""Public URLs outside the language prefix: QR and channel tokens (/q/<token>)."""

from django.urls import path

from signpost.public import views

urlpatterns = [
    path("q/<str:token>", views.landing, name="public_landing"),
]
