from django.urls import URLPattern, URLResolver, include, path

from umbrella.reporting import views

app_name = "reporting"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.start, name="start"),
    path("resume/", views.resume, name="resume"),
    path("exit/", views.quick_exit, name="exit"),
    path("saved/", views.saved, name="saved"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("check/", views.check, name="check"),
    path("done/", views.done, name="done"),
    path("progress/", views.progress, name="progress"),
    # Django's set_language, as /report/i18n/setlang/ (the language switcher posts here).
    path("i18n/", include("django.conf.urls.i18n")),
]
