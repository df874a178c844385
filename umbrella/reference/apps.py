from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ReferenceConfig(AppConfig):
    name = "umbrella.reference"
    label = "reference"

    def ready(self) -> None:
        from umbrella.reference.models import Code
        from umbrella.reference.selectors import clear_code_labels

        # A label changed or a code added: pages show it at once, not a minute later.
        post_save.connect(clear_code_labels, sender=Code, dispatch_uid="reference.code_labels.save")
        post_delete.connect(clear_code_labels, sender=Code, dispatch_uid="reference.code_labels.delete")
