"""Public URLs outside the language prefix (QR and channel tokens: /q/<token>)."""

urlpatterns: list = []
