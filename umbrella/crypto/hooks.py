"""What the crypto app follows in others: every new organisation gets its data key at once."""

from __future__ import annotations

from typing import Any


def give_new_organisation_a_key(sender: Any, organisation: Any, actor: Any, **kwargs: Any) -> None:
    from umbrella.audit import actions
    from umbrella.audit.services import audit_event_write
    from umbrella.crypto.fields import create_organisation_key

    key = create_organisation_key(organisation_id=organisation.pk)
    audit_event_write(
        actor=actor, action=actions.KEY_CREATE, target=key, target_label=key.key_id,
        changes={"organisation_id": organisation.pk, "master_key_id": key.master_key_id},
    )


def register() -> None:
    """Called from ``AppConfig.ready``."""
    from umbrella.agencies.signals import organisation_created

    organisation_created.connect(give_new_organisation_a_key, dispatch_uid="crypto.organisation_key")
