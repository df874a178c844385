"""The axe check itself: it must report what is wrong, with JavaScript on and off, or the journey's
"zero violations" would prove nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible, without_scripts
from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

ADDRESS = "http://umbrella.invalid/broken/"
# No lang, no title, an image without alt text, an input without a label.
BROKEN = "<html><head></head><body><img src='/x.png'><input type='text'><script>1</script></body></html>"


def serve_broken_page(page: Any) -> None:
    page.route(
        lambda url: url.startswith("http://umbrella.invalid/"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN),
    )
    page.goto(ADDRESS)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_violations_fail_the_check_and_are_listed(browser: Any, javascript: bool) -> None:
    with open_page(browser, javascript=javascript) as page, open_page(browser, javascript=True) as inspector:
        serve_broken_page(page)
        visited: list[str] = []
        with pytest.raises(AssertionError) as failure:
            assert_accessible(page, visited, inspector=None if javascript else inspector)
    message = str(failure.value)
    assert "on /broken/" in message
    assert "image-alt" in message and "html-has-lang" in message and "label" in message
    assert visited == ["/broken/"]


def test_scripts_are_removed_but_nothing_else() -> None:
    html = '<p>a</p><script src="/s.js"></script><SCRIPT type="module">\nx()\n</SCRIPT ><p>b</p>'
    assert without_scripts(html) == "<p>a</p><p>b</p>"


def test_a_page_state_already_checked_is_not_checked_again_but_any_change_is(browser: Any, monkeypatch: Any) -> None:
    import tests.browser.accessibility as accessibility

    runs: list[str] = []
    real = accessibility.axe_violations

    def counted(page: Any) -> list[dict[str, Any]]:
        runs.append(page.url)
        return real(page)

    monkeypatch.setattr(accessibility, "axe_violations", counted)
    monkeypatch.setattr(accessibility, "_checked", {})
    form = "<html lang='en'><head><title>t</title></head><body><main><h1>Form</h1><label for='a'>A</label><input id='a' type='checkbox'></main></body></html>"
    with open_page(browser, javascript=True) as page:
        page.route(lambda url: url.startswith("http://umbrella.invalid/"), lambda route: route.fulfill(status=200, content_type="text/html", body=form))
        page.goto("http://umbrella.invalid/form/")
        assert_accessible(page, [])
        page.goto("http://umbrella.invalid/form/")
        assert_accessible(page, [])
        assert len(runs) == 1, "the same page state was checked twice"
        page.locator("#a").check()
        assert_accessible(page, [])
        page.goto("http://umbrella.invalid/other/")
        assert_accessible(page, [])
    assert len(runs) == 3, "a ticked box or another address must be checked afresh"
