from django.urls import path

from umbrella.imports import views

app_name = "imports"

urlpatterns = [
    path("records.csv", views.records_csv, name="records-csv"),
]
