"""A note on a strand can name people: it is sealed under the owner's key, shown with full access
only, and kept out of the API's lists."""

from __future__ import annotations

import dataclasses

from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import make_record, strand
from tests.reads import decrypt
from umbrella.cases.models import STRAND_NOTE_COLUMN, RecordStrand

NOTE = "Neighbour Tom Reid heard the words"


def test_the_note_is_sealed_and_shown_with_full_access_only(world: World, client: Client) -> None:
    record = make_record(actor=world.officer, strands=[dataclasses.replace(strand("race"), note=NOTE)])
    stored = RecordStrand.objects.get(record=record).note
    assert NOTE not in stored and decrypt(stored, column=STRAND_NOTE_COLUMN) == NOTE
    url = reverse("cases:record-detail", args=[record.pk])

    client.force_login(world.officer)
    assert NOTE in client.get(url).content.decode()
    assert client.get(f"/api/v1/records/{record.pk}/").json()["strands"][0]["note"] == NOTE
    assert "note" not in client.get("/api/v1/records/").json()["results"][0]["strands"][0]

    client.force_login(world.analyst)
    assert "Tom Reid" not in client.get(url).content.decode()
    assert client.get(f"/api/v1/records/{record.pk}/").json()["strands"][0]["note"] == ""
