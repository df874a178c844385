from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """Managing organisations, teams and users (the pages at /manage/). Above both ``agencies``
    (the organisations and teams themselves) and ``accounts`` (users and roles), which it changes,
    so neither of those imports the other's administration."""

    name = "umbrella.administration"
    label = "administration"
    verbose_name = "Administration of organisations and users"
