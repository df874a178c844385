from django.urls import path

from umbrella.cases import editing, views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("records/", views.record_list, name="record-list"),
    path("records/new/", editing.record_create, name="record-create"),
    path("records/sub-categories/", views.sub_category_options, name="sub-category-options"),
    path("records/<int:record_id>/", views.record_detail, name="record-detail"),
    path("records/<int:record_id>/edit/", editing.record_edit, name="record-edit"),
    path("records/<int:record_id>/status/", editing.record_status, name="record-status"),
    path("records/<int:record_id>/strands/add/", editing.record_add_strand, name="record-add-strand"),
    path(
        "records/<int:record_id>/strands/<int:strand_id>/remove/",
        editing.record_remove_strand,
        name="record-remove-strand",
    ),
    path("records/<int:record_id>/offences/add/", editing.record_add_offence, name="record-add-offence"),
    path("records/<int:record_id>/people/add/", editing.record_add_person, name="record-add-person"),
    path("records/<int:record_id>/links/add/", editing.record_link, name="record-link"),
]
