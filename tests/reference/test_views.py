from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_record, strand
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import RecordStrand
from umbrella.reference.models import Code, ReferenceVersion
from umbrella.reference.seed import seed_reference_data
from umbrella.reference.selectors import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world):
    seed_reference_data()
    return world


@pytest.fixture
def admin_client(client, seeded):
    client.force_login(seeded.system_admin)
    return client


def _state() -> tuple[int, int, int]:
    return Code.objects.count(), ReferenceVersion.objects.count(), AuditEvent.objects.count()


def _pages() -> list[str]:
    victim = current_code(scheme="perceiver", code="victim")
    return [
        reverse("reference:schemes"),
        reverse("reference:versions"),
        reverse("reference:version", kwargs={"number": 1}),
        reverse("reference:scheme", kwargs={"scheme": "strand"}),
        reverse("reference:code-add", kwargs={"scheme": "strand"}),
        reverse("reference:code-edit", kwargs={"scheme": "perceiver", "pk": victim.pk}),
        reverse("reference:code-retire", kwargs={"scheme": "perceiver", "pk": victim.pk}),
        reverse("reference:code-history", kwargs={"scheme": "perceiver", "code": "victim"}),
    ]


def test_every_page_opens_for_a_system_administrator(admin_client) -> None:
    for url in _pages():
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("persona", ["officer", "supervisor", "org_admin", "analyst", "caseworker", "scrutiny_member"])
def test_other_roles_get_not_found(client, seeded, persona) -> None:
    client.force_login(getattr(seeded, persona))
    for url in _pages():
        assert client.get(url).status_code == 404, url
    before = _state()
    response = client.post(reverse("reference:code-add", kwargs={"scheme": "perceiver"}),
                           {"code": "neighbour", "label": "Neighbour", "verification": "local", "attributes": "{}"})
    assert response.status_code == 404
    assert _state() == before


def test_signed_out_visitors_are_sent_to_sign_in(client, seeded) -> None:
    response = client.get(reverse("reference:schemes"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_the_scheme_list_shows_counts(admin_client) -> None:
    response = admin_client.get(reverse("reference:schemes"))
    content = response.content.decode()
    assert "London local authorities" in content
    boroughs = next(s for s in response.context["summaries"] if s.scheme == "borough")
    assert (boroughs.current, boroughs.retired) == (33, 0)


def test_a_scheme_page_tags_unverified_codes_as_editable_defaults(admin_client) -> None:
    content = admin_client.get(reverse("reference:scheme", kwargs={"scheme": "sub_category"})).content.decode()
    assert "Anti-Sikh" in content
    assert "Not verified — editable default" in content
    assert "Official source" in content


def test_unknown_scheme_is_not_found(admin_client) -> None:
    assert admin_client.get("/reference-data/no_such_scheme/").status_code == 404


def test_adding_a_code(admin_client, seeded) -> None:
    response = admin_client.post(
        reverse("reference:code-add", kwargs={"scheme": "sub_category"}),
        {"code": "anti_roma", "label": "Anti-Roma", "parent_code": "race", "verification": "local",
         "source": "", "sort_order": "", "attributes": "{}"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("reference:scheme", kwargs={"scheme": "sub_category"})
    row = current_code(scheme="sub_category", code="anti_roma")
    assert row is not None and row.parent_code == "race"
    assert AuditEvent.objects.filter(action=actions.REFERENCE_CODE_CREATE, actor_id=seeded.system_admin.pk).exists()


def test_a_duplicate_code_shows_an_error_summary_and_changes_nothing(admin_client) -> None:
    before = _state()

    response = admin_client.post(
        reverse("reference:code-add", kwargs={"scheme": "perceiver"}),
        {"code": "victim", "label": "Victim again", "verification": "local", "attributes": "{}"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "is already a code in" in content
    assert 'href="#id_code"' in content
    assert _state() == before


def test_bad_json_attributes_show_an_error_and_change_nothing(admin_client) -> None:
    before = _state()

    response = admin_client.post(
        reverse("reference:code-add", kwargs={"scheme": "strand"}),
        {"code": "homelessness", "label": "Homelessness", "verification": "local", "attributes": "{monitored: yes}"},
    )

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Attributes are not valid JSON" in content
    assert _state() == before


def test_an_empty_form_lists_every_missing_answer(admin_client) -> None:
    before = _state()

    response = admin_client.post(reverse("reference:code-add", kwargs={"scheme": "sub_category"}), {})

    content = response.content.decode()
    for message in ("Enter a code.", "Enter a label.", "Select what this code belongs to.",
                    "Select how this code was verified."):
        assert message in content
    assert _state() == before


def test_editing_a_code_creates_a_new_version_and_records_keep_the_old_row(admin_client, seeded) -> None:
    record = make_record(actor=seeded.officer, strands=[strand("disability")])
    old = current_code(scheme="strand", code="disability")

    response = admin_client.post(
        reverse("reference:code-edit", kwargs={"scheme": "strand", "pk": old.pk}),
        {"label": "Disability (physical, sensory, learning or mental health)", "description": old.description,
         "verification": "official", "source": old.source, "sort_order": str(old.sort_order),
         "attributes": '{"monitored": true}'},
    )

    assert response.status_code == 302
    new = current_code(scheme="strand", code="disability")
    assert new.pk != old.pk
    assert new.label.startswith("Disability (physical")
    assert new.introduced_in.summary.startswith("Changed “Disability”")
    assert RecordStrand.objects.get(record=record).strand_id == old.pk
    history = admin_client.get(reverse("reference:code-history", kwargs={"scheme": "strand", "code": "disability"}))
    assert history.context["rows"] == [new, Code.objects.get(pk=old.pk)]


def test_opening_a_replaced_row_goes_to_its_history(admin_client, seeded) -> None:
    old = current_code(scheme="perceiver", code="witness")
    admin_client.post(
        reverse("reference:code-edit", kwargs={"scheme": "perceiver", "pk": old.pk}),
        {"label": "A witness", "verification": old.verification, "source": old.source,
         "sort_order": str(old.sort_order), "attributes": "{}"},
    )

    response = admin_client.get(reverse("reference:code-edit", kwargs={"scheme": "perceiver", "pk": old.pk}))

    assert response.status_code == 302
    assert response["Location"] == reverse("reference:code-history", kwargs={"scheme": "perceiver", "code": "witness"})


def test_a_code_cannot_be_edited_through_another_scheme(admin_client) -> None:
    victim = current_code(scheme="perceiver", code="victim")
    assert admin_client.get(reverse("reference:code-edit", kwargs={"scheme": "strand", "pk": victim.pk})).status_code == 404


def test_retiring_a_code(admin_client, seeded) -> None:
    row = current_code(scheme="online_platform", code="dating_app")

    response = admin_client.post(
        reverse("reference:code-retire", kwargs={"scheme": "online_platform", "pk": row.pk}),
        {"reason": "Recorded as social media locally"},
    )

    assert response.status_code == 302
    assert current_code(scheme="online_platform", code="dating_app") is None
    version = ReferenceVersion.objects.order_by("-number").first()
    page = admin_client.get(reverse("reference:version", kwargs={"number": version.number}))
    assert list(page.context["retired"]) == [Code.objects.get(pk=row.pk)]


def test_retiring_a_strand_with_sub_categories_shows_why_not(admin_client) -> None:
    row = current_code(scheme="strand", code="race")
    before = _state()

    response = admin_client.post(
        reverse("reference:code-retire", kwargs={"scheme": "strand", "pk": row.pk}), {"reason": "No longer used"},
    )

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Retire or move those first" in content
    assert _state() == before


def test_the_version_history_lists_every_version(admin_client, seeded) -> None:
    row = current_code(scheme="perceiver", code="other")
    admin_client.post(reverse("reference:code-retire", kwargs={"scheme": "perceiver", "pk": row.pk}),
                      {"reason": "Not needed"})

    response = admin_client.get(reverse("reference:versions"))

    numbers = [version.number for version in response.context["versions"]]
    assert numbers == [2, 1]
    assert "Initial reference data" in response.content.decode()
