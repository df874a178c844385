"""Events written before the sealer keep their place: their chain position is their id.

On PostgreSQL the append-only trigger is replaced by one that still refuses DELETE and TRUNCATE,
and allows exactly one UPDATE per event: the sealer's, which sets the chain position, previous
hash and hash of an event that has none, and changes nothing else.
"""

from django.db import migrations

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % on audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

ONLY_CHAINING = """
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.hash IS NULL AND OLD.chain_position IS NULL AND OLD.previous_hash IS NULL
       AND NEW.hash IS NOT NULL AND NEW.chain_position IS NOT NULL AND NEW.previous_hash IS NOT NULL
       AND ROW(NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_display, NEW.organisation_id_snapshot,
               NEW.action, NEW.target_type, NEW.target_id, NEW.target_label, NEW.record_id,
               NEW.changes, NEW.request_id, NEW.ip_address, NEW.digest)
           IS NOT DISTINCT FROM
           ROW(OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_display, OLD.organisation_id_snapshot,
               OLD.action, OLD.target_type, OLD.target_id, OLD.target_label, OLD.record_id,
               OLD.changes, OLD.request_id, OLD.ip_address, OLD.digest)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % on audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_refuse_update_delete")
    schema_editor.execute("UPDATE audit_auditevent SET chain_position = id WHERE chain_position IS NULL")
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_refuse_update_delete")
        schema_editor.execute(ONLY_CHAINING, params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chained_by_a_sealer_after_commit")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
