from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "umbrella.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from umbrella.cases.signals import record_changed, records_created
        from umbrella.core.extensions import NavEntry, register_navigation
        from umbrella.screening.policy import can_view_models
        from umbrella.screening.receivers import on_record_changed, on_records_created

        record_changed.connect(on_record_changed, dispatch_uid="screening.on_record_changed")
        records_created.connect(on_records_created, dispatch_uid="screening.on_records_created")
        register_navigation(NavEntry("Screening models", "/screening/models/", allowed=can_view_models, order=60))
