from django.urls import URLPattern, URLResolver, path

from umbrella.statistics import open_data

app_name = "open_data"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", open_data.index, name="index"),
    path("methodology/", open_data.methodology, name="methodology"),
    path("datasets.json", open_data.datasets, name="datasets"),
    path("releases/<int:number>/<slug:table>.csv", open_data.table_csv, name="table-csv"),
    path("releases/<int:number>/<slug:table>.json", open_data.table_json, name="table-json"),
]
