from django.apps import AppConfig


class AuditSearchConfig(AppConfig):
    """Searching the audit log: pages for supervisors and system administrators, built on the
    log itself (``audit``), on roles (``accounts``) and on organisations (``agencies``), so the
    log stays at the bottom that every app writes to."""

    name = "umbrella.audit_search"
    label = "audit_search"
    verbose_name = "Audit log search"
