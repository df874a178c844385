from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "umbrella.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from umbrella.cases.signals import record_changed
        from umbrella.core.extensions import NavEntry, register_navigation
        from umbrella.screening.policy import can_view_models
        from umbrella.screening.receivers import on_record_changed

        record_changed.connect(on_record_changed, dispatch_uid="screening.on_record_changed")
        register_navigation(NavEntry("Screening models", "/screening/models/", allowed=can_view_models, order=60))
