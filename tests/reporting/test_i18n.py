"""Languages: Welsh complete, six machine-drafted languages marked for review, right-to-left layout."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.reporting.factories import reference_data, start

LOCALE = Path(settings.BASE_DIR) / "umbrella" / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
MARK = "# machine-drafted: needs native review"


def entries(po: Path) -> list[str]:
    return [block for block in po.read_text().split("\n\n")[1:] if "msgid " in block]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_is_complete_compiled_and_current(language: str, tmp_path: Path) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    blocks = entries(po)
    assert len(blocks) > 150
    for block in blocks:
        translated = "".join(re.findall(r'"(.*)"', block.split("\nmsgstr ", 1)[1]))
        assert translated.strip(), block
        assert "#, fuzzy" not in block, block
        if language != "cy":
            assert MARK in block, block
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    # Our own catalogue and a temporary path: nothing untrusted reaches the command line.
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True, capture_output=True)  # noqa: S603
    assert mo.read_bytes() == fresh.read_bytes(), f"{mo} is stale: run msgfmt -o {mo} {po}"


@pytest.mark.django_db
def test_welsh_pages_are_in_welsh(client: Client, world: World) -> None:
    reference_data()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("reporting:start")).content.decode()
    assert '<html lang="cy" dir="ltr"' in page
    assert "Rhoi gwybod am drosedd casineb neu ddigwyddiad casineb" in page
    assert "Gadael y dudalen hon" in page
    start(client)
    page = client.post(reverse("reporting:step", args=["who"]), {}).content.decode()
    assert "Mae problem" in page and "Dewiswch pwy sy&#x27;n rhoi gwybod" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "ur"])
def test_arabic_and_urdu_pages_are_right_to_left(client: Client, world: World, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("reporting:start")).content.decode()
    assert f'<html lang="{language}" dir="rtl"' in page


@pytest.mark.django_db
def test_the_language_switcher_posts_to_set_language_and_comes_back(client: Client) -> None:
    page = client.get(reverse("reporting:start")).content.decode()
    assert f'action="{reverse("reporting:set_language")}"' in page
    for code, name in settings.LANGUAGES:
        assert re.search(rf'<option value="{code}" lang="{code}"[^>]*>{name}</option>', page), code
    response = client.post(reverse("reporting:set_language"), {"language": "so", "next": reverse("reporting:start")})
    assert response["Location"] == reverse("reporting:start")
    assert "Soo sheeg dambi nacayb" in client.get(reverse("reporting:start")).content.decode()


@pytest.mark.django_db
def test_the_english_header_skip_link_and_footer_say_so_on_a_translated_page(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("reporting:start")).content.decode()
    assert '<header class="govuk-template__header" lang="en" dir="ltr">' in page
    assert '<footer class="govuk-template__footer" lang="en" dir="ltr">' in page
    assert 'class="govuk-skip-link" data-module="govuk-skip-link" lang="en">' in page
    # The language switcher inside the header speaks the page's language.
    assert '<div class="govuk-width-container umbrella-language-switcher" lang="ar" dir="rtl">' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("reporting:start")).content.decode()
    assert '<header class="govuk-template__header">' in english


@pytest.mark.django_db
def test_each_consent_question_has_its_own_error_in_every_language(client: Client, world: World) -> None:
    from umbrella.reporting.forms import CONSENT_ERRORS

    reference_data()
    start(client)
    page = client.post(reverse("reporting:step", args=["consent"]), {}).content.decode()
    summary = page[page.index("govuk-error-summary"):page.index("</ul>", page.index("govuk-error-summary"))]
    for message in CONSENT_ERRORS.values():
        assert str(message) in summary
    assert len(set(map(str, CONSENT_ERRORS.values()))) == len(CONSENT_ERRORS)
    client.post(reverse("reporting:set_language"), {"language": "pl", "next": "/report/"})
    polish = client.post(reverse("reporting:step", args=["consent"]), {}).content.decode()
    assert "Wybierz tak, jeśli policja może zobaczyć Twoje zgłoszenie z Twoim imieniem" in polish


@pytest.mark.django_db
def test_answers_from_reference_data_are_in_the_pages_language(client: Client, world: World) -> None:
    """Strands and places come from the database; their labels are translated like the page,
    borough names stay as they are, and a label the catalogue does not know is shown as stored."""
    from tests.factories import code

    reference_data()
    code("strand", "sex_workers", "Sex workers", monitored=False)
    code("location_type", "bus_depot", "Bus depot (added here)")
    start(client)
    client.post(reverse("reporting:set_language"), {"language": "ur", "next": "/report/"})
    why = client.get(reverse("reporting:step", args=["why"])).content.decode()
    assert "نسل یا قومیت" in why and "Race or ethnicity" not in why
    assert "جنسی کارکن" in why
    where = client.get(reverse("reporting:step", args=["where"])).content.decode()
    assert "گلی" in where  # Street
    assert "Tower Hamlets" in where  # a place name
    assert "Bus depot (added here)" in where
