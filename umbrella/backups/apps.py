from django.apps import AppConfig


class BackupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "umbrella.backups"
    label = "backups"
    verbose_name = "Backups: the database and the evidence store, encrypted, and restored from them"
