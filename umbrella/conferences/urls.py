from django.urls import URLPattern, URLResolver, path

from umbrella.conferences import views

app_name = "conferences"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.conference_list_view, name="list"),
    path("new/", views.conference_create, name="create"),
    path("<int:conference_id>/", views.conference_detail, name="detail"),
    path("<int:conference_id>/status/", views.conference_status, name="status"),
    path("<int:conference_id>/attendees/add/", views.attendee_add, name="attendee-add"),
    path("<int:conference_id>/agenda/", views.agenda_view, name="agenda"),
    path("<int:conference_id>/agenda.pdf", views.agenda_download, name="agenda-pdf"),
    path("<int:conference_id>/minutes/", views.minutes_view, name="minutes"),
    path("<int:conference_id>/minutes/approve/", views.minutes_approve, name="minutes-approve"),
    path("<int:conference_id>/minutes.pdf", views.minutes_download, name="minutes-pdf"),
    path("records/<int:record_id>/refer/", views.referral_create, name="refer"),
    path("referrals/<int:referral_id>/status/", views.referral_status, name="referral-status"),
    path("referrals/<int:referral_id>/information/", views.information_add, name="information-add"),
    path("referrals/<int:referral_id>/actions/add/", views.action_add, name="action-add"),
    path("actions/<int:action_id>/complete/", views.action_complete, name="action-complete"),
]
