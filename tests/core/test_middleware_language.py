from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_staff_pages_stay_english_and_left_to_right_for_an_arabic_browser() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/accounts/sign-in/").content.decode()
    assert 'lang="en' in page and 'dir="rtl"' not in page


def test_the_public_journey_follows_an_arabic_browser() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/report/", follow=True).content.decode()
    assert 'dir="rtl"' in page
