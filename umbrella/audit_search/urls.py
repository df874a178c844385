from django.urls import path

from umbrella.audit_search import views

app_name = "audit_search"

urlpatterns = [
    path("", views.search, name="search"),
]
