from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "umbrella.intake"
    verbose_name = "Intake, consent and triage"

    def ready(self) -> None:
        from umbrella.core.extensions import NavEntry, register_navigation, register_record_panel
        from umbrella.core.worklist import register_worklist_provider
        from umbrella.intake import extensions
        from umbrella.intake.policy import can_triage

        register_worklist_provider("intake", extensions.triage_worklist_items)
        register_navigation(NavEntry(text="Triage", href="/intake/triage/", allowed=can_triage, order=30))
        register_record_panel("intake-consent", extensions.consent_panel)

        from umbrella.crypto.registry import RotationStep, register_rotation_step
        from umbrella.intake.evidence import evidence_pending_rotation, evidence_reencrypt

        register_rotation_step(RotationStep("intake.evidence (files)", evidence_pending_rotation, evidence_reencrypt))

        from umbrella.consent.services import register_consent_follower
        from umbrella.intake.handoff import police_share_sync

        register_consent_follower("police-hand-off", police_share_sync)
