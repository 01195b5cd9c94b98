app_name = "adverts"

urlpatterns: list = []
