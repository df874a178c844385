from django.urls import URLPattern, URLResolver

app_name = "indicators"

urlpatterns: list[URLPattern | URLResolver] = []
