"""The queue, item and dashboard pages as a reviewer uses them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import code, make_record, strand
from tests.review.factories import open_item, reviewer, suggest
from umbrella.audit.models import AuditEvent
from umbrella.core.extensions import navigation_entries
from umbrella.core.worklist import worklist_providers
from umbrella.review.models import Decision, ReviewItem


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_queue_lists_open_items_overdue_first_in_few_queries(world: World, django_assert_max_num_queries: Any) -> None:
    records = [make_record(actor=world.officer) for _ in range(4)]
    overdue = records[2]
    ReviewItem.objects.filter(record=overdue).update(due_at=timezone.now() - timedelta(hours=3))
    suggest(records[1], kind="missing_online")
    client = client_for(world.hub_reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("review:queue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "4 items to review" in body
    assert body.index(overdue.reference) < body.index(records[0].reference)
    assert "Overdue" in body and "May be missing the online flag" in body
    overdue_only = client.get(reverse("review:queue"), {"overdue": "yes"}).content.decode()
    assert overdue.reference in overdue_only and records[0].reference not in overdue_only
    suggestions = client.get(reverse("review:queue"), {"reason": "suggestion"}).content.decode()
    assert "0 items" in suggestions  # records[1] was already queued as flagged


def test_claim_then_decide_in_the_browser_forms(world: World) -> None:
    record = make_record(actor=world.officer)
    item = open_item(record)
    code("perceiver", "victim", "Victim")
    client = client_for(world.hub_reviewer)
    response = client.post(reverse("review:claim", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("review:item", args=[item.pk])
    page = client.get(reverse("review:item", args=[item.pk])).content.decode()
    assert "Your decision" in page and "Officer noted" not in page
    strand("religion")
    response = client.post(reverse("review:item", args=[item.pk]), {
        "row_version": record.row_version, "kind": "hate_crime", "is_online": "yes",
        "add-strand": "religion", "add-perceiver": "victim", "note": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.is_online and record.strands.count() == 2
    assert Decision.objects.get(item=item).strands_added_count == 1


def test_decision_form_errors_are_summarised(world: World) -> None:
    record = make_record(actor=world.officer)
    item = open_item(record)
    client = client_for(world.hub_reviewer)
    client.post(reverse("review:claim", args=[item.pk]))
    response = client.post(reverse("review:item", args=[item.pk]), {
        "row_version": record.row_version, "kind": "nchi", "is_online": "no",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Answer this NCHI recording threshold" in body
    assert not Decision.objects.exists()


def test_a_second_reviewer_is_told_the_item_is_taken(world: World) -> None:
    record = make_record(actor=world.officer)
    item = open_item(record)
    client_for(world.hub_reviewer).post(reverse("review:claim", args=[item.pk]))
    other = client_for(reviewer("second.reviewer", world.force))
    response = other.post(reverse("review:claim", args=[item.pk]), follow=True)
    assert "claimed this item first" in response.content.decode()


def test_a_reviewer_sees_an_unflagged_suggested_record_with_the_evidence_highlighted(world: World) -> None:
    narrative = "Two men told the shopkeeper to go back to his own country and laughed."
    record = make_record(actor=world.officer, strands=[], kind="other_crime", narrative=narrative)
    start = narrative.index("go back")
    suggest(record, spans=[{"start": start, "end": start + 29, "text": "go back to his own country",
                            "reason": "Xenophobic phrase (race)"}])
    item = open_item(record)
    response = client_for(world.hub_reviewer).get(reverse("review:item", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<mark title="Xenophobic phrase (race)">go back to his own country' in body
    assert "(evidence: Xenophobic phrase (race))" in body
    view = AuditEvent.objects.filter(action="record.view", record_id=record.pk).last()
    assert view is not None and view.changes["via"] == "review item"


def test_another_forces_item_is_not_found(world: World) -> None:
    record = make_record(actor=world.officer)
    stranger = reviewer("colp.reviewer", world.other_force)
    response = client_for(stranger).get(reverse("review:item", args=[open_item(record).pk]))
    assert response.status_code == 404


def test_worklist_and_navigation(world: World) -> None:
    record = make_record(actor=world.officer)
    provider = worklist_providers()["review"]
    items = provider(world.hub_reviewer)
    assert [w.record_reference for w in items] == [record.reference]
    assert items[0].url == reverse("review:item", args=[open_item(record).pk])
    assert provider(world.officer) == []
    assert {"Review queue", "Hub dashboard"} <= {e.text for e in navigation_entries(world.hub_reviewer)}
    assert "Review queue" not in {e.text for e in navigation_entries(world.analyst)}
    assert "Hub dashboard" in {e.text for e in navigation_entries(world.analyst)}


def test_the_reviewers_page_offers_an_assessment_per_strand_and_no_removal(world: World) -> None:
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion")])
    religion = record.strands.get(strand__code="religion")
    item = open_item(record)
    client = client_for(world.hub_reviewer)
    client.post(reverse("review:claim", args=[item.pk]))
    page = client.get(reverse("review:item", args=[item.pk])).content.decode()
    assert "Evidential assessment of each strand" in page
    assert f'name="assess_{religion.pk}"' in page and 'value="not_supported"' in page
    assert "remove" not in page.lower().replace("removes it when you save", "").replace("removed", "")
    base = {"row_version": record.row_version, "kind": "hate_crime", "is_online": "no"}
    # The old form's removal field does nothing now; a missing reason is explained.
    missing = client.post(reverse("review:item", args=[item.pk]), {
        **base, "remove_strands": [str(religion.pk)], f"assess_{religion.pk}": "not_supported",
    })
    assert missing.status_code == 200 and "Enter the reason for your assessment of" in missing.content.decode()
    saved = client.post(reverse("review:item", args=[item.pk]), {
        **base, "remove_strands": [str(religion.pk)], f"assess_{religion.pk}": "not_supported",
        f"assess_{religion.pk}_reason": "Nothing about faith in the statements",
    })
    assert saved.status_code == 302
    assert record.strands.count() == 2
    decided = client.get(reverse("review:item", args=[item.pk])).content.decode()
    assert "not supported by the evidence" in decided
    detail = client.get(reverse("cases:record-detail", args=[record.pk])).content.decode()
    assert "<strong>Not supported by the evidence</strong>" in detail


def test_the_reviewer_corrects_a_sub_category_in_the_form(world: World) -> None:
    record = make_record(actor=world.officer, strands=[strand("religion", sub_category="anti_muslim")])
    row = record.strands.get()
    code("sub_category", "antisemitic", "Antisemitic", parent_code="religion")
    item = open_item(record)
    client = client_for(world.hub_reviewer)
    client.post(reverse("review:claim", args=[item.pk]))
    page = client.get(reverse("review:item", args=[item.pk])).content.decode()
    assert f'name="sub_{row.pk}"' in page and '<option value="anti_muslim" selected>' in page
    saved = client.post(reverse("review:item", args=[item.pk]), {
        "row_version": record.row_version, "kind": "hate_crime", "is_online": "no", f"sub_{row.pk}": "antisemitic",
    })
    assert saved.status_code == 302
    row.refresh_from_db()
    assert row.sub_category is not None and row.sub_category.code == "antisemitic"
    timeline = client.get(reverse("cases:record-detail", args=[record.pk])).content.decode()
    assert "corrected from Anti" in timeline and "to Antisemitic" in timeline


def test_keeping_a_subject_asks_whether_they_are_told_and_keeps_the_answer(world: World) -> None:
    from umbrella.cases.inputs import PersonInput

    record = make_record(actor=world.officer, people=[PersonInput(role="subject", given_name="Gareth", family_name="Pryce")])
    item = open_item(record)
    client = client_for(world.hub_reviewer)
    client.post(reverse("review:claim", args=[item.pk]))
    answers = {"row_version": record.row_version, "kind": "nchi", "is_online": "no", "nchi_risk_of_harm": "no",
               "nchi_risk_of_offence": "yes", "nchi_expression_considered": "on"}
    response = client.post(reverse("review:item", args=[item.pk]), answers)
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert 'href="#id_nchi_subject_notification' in body and "Choose whether the subject is told" in body
    assert not Decision.objects.exists()
    response = client.post(reverse("review:item", args=[item.pk]),
                           {**answers, "nchi_subject_notification": "withhold_safeguarding"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.get(item=item).subject_notification == "withhold_safeguarding"
