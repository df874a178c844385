from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "umbrella.audit"
    label = "audit"
