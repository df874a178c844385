from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "umbrella.care"
    verbose_name = "Referrals and victim care"

    def ready(self) -> None:
        from umbrella.care import hooks

        hooks.register()
