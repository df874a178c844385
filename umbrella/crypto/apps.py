from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "umbrella.crypto"
    label = "crypto"

    def ready(self) -> None:
        from umbrella.crypto import hooks

        hooks.register()
