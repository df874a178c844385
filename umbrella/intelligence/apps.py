from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "umbrella.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence: linking people and places across agencies, and the products analysts brief from"

    def ready(self) -> None:
        from umbrella.intelligence import hooks

        hooks.register()
