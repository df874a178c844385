"""Record shares move from the sharing app to cases, beside the record that scoping reads them with.

State only: the table keeps its name (``sharing_recordshare``) and its rows; nothing in the
database changes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sharing', '0002_share_reasons_sealed_with_the_owners_key'),
        ('agencies', '0001_initial'),
        ('cases', '0008_link_reasons_sealed_with_the_linkers_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='RecordShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(choices=[('full', 'Full, with identities'), ('anonymised', "Anonymised, without any person's identifying details")], max_length=16)),
                ('legal_basis', models.CharField(blank=True, max_length=300)),
                ('consent_reference', models.CharField(blank=True, max_length=120)),
                ('reason', models.TextField()),
                ('granted_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('revocation_reason', models.TextField(blank=True)),
                ('granted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shares_received', to='agencies.organisation')),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='cases.record')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'sharing_recordshare',
                'ordering': ['-granted_at'],
                'indexes': [models.Index(fields=['organisation', 'record'], name='share_org_record')],
                'constraints': [models.CheckConstraint(condition=models.Q(('consent_reference', ''), ('legal_basis', ''), _negated=True), name='share_needs_legal_basis_or_consent')],
            },
        ),
        ]),
    ]
