from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "umbrella.intelligence"
    verbose_name = "Intelligence: linking people and places across agencies"
