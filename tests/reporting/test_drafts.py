"""Save and return: the resume code is the only key to a draft."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.reporting.factories import reference_data, walk
from umbrella.reporting import drafts
from umbrella.reporting.models import ReportDraft
from umbrella.reporting.views import SESSION_CODE

pytestmark = pytest.mark.django_db


def test_codes_are_human_typeable_and_forgiving() -> None:
    code = drafts.new_resume_code()
    assert len(code) == 14 and code.count("-") == 2
    assert drafts.normalise_code(code.lower().replace("-", " ")) == code
    assert drafts.normalise_code("too short") == ""


def test_answers_are_encrypted_and_the_code_is_not_stored() -> None:
    opened = drafts.draft_start()
    drafts.draft_save(opened=opened, values={"narrative": "Sensitive words here"}, reached_step="what")
    row = ReportDraft.objects.get()
    assert b"Sensitive" not in bytes(row.answers_ciphertext)
    assert opened.code not in row.code_hash
    reopened = drafts.draft_open(code=opened.code)
    assert reopened is not None
    assert drafts.draft_answers(reopened)["narrative"] == "Sensitive words here"


def test_expired_drafts_cannot_be_opened_and_are_purged() -> None:
    opened = drafts.draft_start()
    ReportDraft.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert drafts.draft_open(code=opened.code) is None
    assert drafts.drafts_purge_expired() == 1


def test_resume_code_round_trip_in_a_new_browser(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="when")
    code = client.session[SESSION_CODE]
    saved = client.get(reverse("reporting:saved")).content.decode()
    assert code in saved
    other = Client()
    response = other.post(reverse("reporting:resume"), {"code": code.lower()})
    assert response["Location"] == reverse("reporting:step", args=["when"])
    page = other.get(reverse("reporting:step", args=["what"])).content.decode()
    assert "Two men shouted at me" in page


def test_a_wrong_resume_code_says_so(client: Client) -> None:
    page = client.post(reverse("reporting:resume"), {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "We could not find a saved report with that code" in page
    page = client.post(reverse("reporting:resume"), {"code": ""}).content.decode()
    assert "Enter your resume code" in page and "There is a problem" in page


def test_the_resume_code_is_never_in_a_url(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="when")
    code = client.session[SESSION_CODE]
    response = client.get(reverse("reporting:step", args=["when"]))
    assert code not in response.get("Location", "")
    assert code not in response.content.decode()


def test_the_purge_command_deletes_expired_drafts_and_audits_it() -> None:
    from io import StringIO

    from django.core.management import call_command

    from umbrella.audit.models import AuditEvent

    drafts.draft_start()
    kept = drafts.draft_start()
    ReportDraft.objects.exclude(pk=kept.draft.pk).update(expires_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("reporting_purge_drafts", stdout=out)
    assert "Deleted 1 expired report drafts." in out.getvalue()
    assert list(ReportDraft.objects.all()) == [kept.draft]
    assert AuditEvent.objects.filter(action="reporting.drafts_purged").exists()


def test_save_and_come_back_keeps_what_is_typed_on_the_current_page(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="what")
    page = client.get(reverse("reporting:step", args=["what"])).content.decode()
    assert 'name="action" value="save"' in page  # a button in the form, so the page's answers go with it
    response = client.post(reverse("reporting:step", args=["what"]),
                           {"narrative": "He followed me off the bus shouting.", "action": "save"})
    assert response["Location"] == reverse("reporting:saved")
    code = client.session[SESSION_CODE]

    other = Client()
    assert other.post(reverse("reporting:resume"), {"code": code})["Location"] == reverse("reporting:step", args=["words"])
    assert "He followed me off the bus shouting." in other.get(reverse("reporting:step", args=["what"])).content.decode()


def test_an_unfinished_page_keeps_its_typed_words_and_comes_back_to_that_page(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="offender")
    # Whether they know who did it is not answered yet (Continue would refuse the page), but the
    # description typed is kept, and Save comes back to this page.
    response = client.post(reverse("reporting:step", args=["offender"]),
                           {"offender_description": "A tall man with a red scarf", "action": "save"})
    assert response["Location"] == reverse("reporting:saved")
    other = Client()
    assert other.post(reverse("reporting:resume"), {"code": client.session[SESSION_CODE]})["Location"] == reverse(
        "reporting:step", args=["offender"])
    page = other.get(reverse("reporting:step", args=["offender"])).content.decode()
    assert "A tall man with a red scarf" in page and "There is a problem" not in page


def test_resuming_in_another_browser_comes_back_in_the_reports_language(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="what")
    client.post(reverse("reporting:set_language"), {"language": "cy", "next": "/report/"})
    client.post(reverse("reporting:step", args=["what"]), {"narrative": "Geiriau", "action": "save"})
    other = Client()
    response = other.post(reverse("reporting:resume"), {"code": client.session[SESSION_CODE]})
    assert response.cookies["django_language"].value == "cy"
    assert 'lang="cy"' in other.get(response["Location"]).content.decode()
