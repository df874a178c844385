from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "umbrella.crypto"
    label = "crypto"
