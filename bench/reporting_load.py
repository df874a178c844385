"""Load benchmark of the public report journey (issue 4): a surge of reports after a major event.

Starts the app with gunicorn against PostgreSQL on a database it drops, recreates and migrates,
then a separate load process on loopback runs 50 concurrent submitters, each completing the whole
journey (start, every step, check answers, send, confirmation) again and again for the duration,
pausing between pages as a person would (think time, ``BENCH_THINK_SECONDS``, 1 s on average; 0
for a flat-out run). Alongside them a probe times a trivial view (the quick exit with no session:
the whole middleware stack, no database), so each step's p95 is also given as a multiple of what
the server needs for nothing under the same load: a step that waits on a lock shows up there.
Reports p50/p95 per step, submissions per second, and the count lost: every reference a
confirmation page showed is looked up afterwards, and its answers decrypted, in a fresh process.

    python -m bench.reporting_load [DATABASE_URL] [SECONDS]

Defaults: postgres://postgres@127.0.0.1:5432/umbrella_reporting_bench, 120 s (30 s with
BENCH_QUICK=1). The database name must start with ``umbrella_`` and contain ``bench``.
Per-address rate limits are lifted for the run (UMBRELLA_REPORTING_RATE_LIMIT), since every
submitter comes from 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/umbrella_reporting_bench"
SUBMITTERS = 50
TARGET_P95_MS = 500.0
TARGET_RATIO = 3.0
TRIVIAL = "trivial view (GET)"
TRIVIAL_PATH = "/report/exit/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r'umbrella-report-reference"[^>]*>(UMB-[0-9A-Z]+)<')

# Organisations as the agencies service makes them: each with its data key from the start.
SETUP = """
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.crypto.fields import create_organisation_key
from umbrella.reference.seed import seed_reference_data
seed_reference_data()
for slug, name, kind, prefix in [("bench-force", "Bench Police", OrganisationKind.POLICE_FORCE, "BPF"),
                                 ("bench-centre", "Bench Centre", OrganisationKind.THIRD_PARTY_CENTRE, "BTC")]:
    organisation, _ = Organisation.objects.get_or_create(slug=slug, defaults=dict(name=name, kind=kind, reference_prefix=prefix))
    create_organisation_key(organisation_id=organisation.pk)
"""

VERIFY = """
import json, sys
from umbrella.intake.models import Report
from umbrella.intake.answers import answers_of
wanted = set(json.load(open(sys.argv[-1])))
found = set()
for report in Report.objects.filter(reference__in=wanted):
    if answers_of(report).narrative.startswith("Bench report"):
        found.add(report.reference)
print(json.dumps({"stored_and_readable": len(found), "lost": sorted(wanted - found)}))
"""


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "umbrella.settings.demo",
        "UMBRELLA_REPORTING_RATE_LIMIT": "1000000",
        "PYTHONPATH": str(ROOT),
    }


def _reset(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not (name.startswith("umbrella_") and "bench" in name):
        raise SystemExit(f"Refusing to drop {name!r}: use a database named umbrella_*bench*.")
    maintenance = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", "", ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _prepare(database_url: str) -> None:
    _reset(database_url)
    env = _env(database_url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(database_url: str, port: int, log: Any) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "umbrella.wsgi", "-w", "4", "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=_env(database_url), stdout=subprocess.DEVNULL, stderr=log,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped; see its log")
        try:
            _warm(port)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 600 s")


def _warm(port: int) -> None:
    """Every worker loads the URLconf (all apps' views) on its first request: do that before timing."""
    failures: list[BaseException] = []

    def one() -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.request("GET", "/report/")
            if conn.getresponse().status != 200:
                failures.append(OSError("not 200"))
        except OSError as exc:
            failures.append(exc)

    for _ in range(2):
        threads = [threading.Thread(target=one) for _ in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]


# ---- the load process -------------------------------------------------------------------------


class Browser:
    """One submitter: a keep-alive connection, cookies and the CSRF token, like a browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": f"127.0.0.1:{self.port}"}
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        found = CSRF.search(text)
        if found:
            self.csrf = found.group(1)
        return response.status, response.getheader("Location") or "", text


def _answers(n: int) -> list[tuple[str, dict[str, Any]]]:
    destination = ("police", "centre", "both")[n % 3]
    anonymous = n % 2 == 0
    return [
        ("who", {"reporter_role": "victim"}),
        ("what", {"narrative": f"Bench report {n}: shouted at and followed home after the match."}),
        ("words", {"words_used": "Words used in the bench"}),
        ("when", {"day": "3", "month": "2", "year": "2025", "occurred_time_text": "evening"}),
        ("where", {"is_online": "no", "location_description": "High Street bus stop"}),
        ("why", {"strands": ["race"]}),
        ("offender", {"offender_description": "Two men", "offender_known": "no"}),
        ("harm", {}),
        ("evidence", {"action": "continue"}),
        ("support", {}),
        ("contact", {"anonymous": "yes"} if anonymous else {"anonymous": "no", "contact_name": "Bench Person",
                                                             "contact_phone": "07700900123", "contact_preferred_method": "phone"}),
        ("destination", {"destination": destination, "centre_slug": "" if destination == "police" else "bench-centre"}),
        ("consent", {f"consent_{s}": "yes" for s in ("police_identified", "police_anonymised", "victim_support_referral",
                                                    "partner_referral", "centre_contact", "statistics_only")}),
    ]


def _think_seconds() -> float:
    return float(os.environ.get("BENCH_THINK_SECONDS", "1.0"))


def _submitter(port: int, index: int, stop_at: float, timings: dict[str, list[float]], out: dict[str, Any],
               lock: threading.Lock, think: float | None = None, journeys: int | None = None) -> None:
    browser = Browser(port)
    think = _think_seconds() if think is None else think
    pause = random.Random(index)  # noqa: S311 - think time, not security
    n = index
    while time.monotonic() < stop_at and (journeys is None or (n - index) // SUBMITTERS < journeys):
        local: dict[str, list[float]] = {}

        def timed(step: str, method: str, path: str, data: dict[str, Any] | None = None,
                  local: dict[str, list[float]] = local) -> tuple[int, str, str]:
            if think and method == "GET":
                time.sleep(pause.uniform(0.5, 1.5) * think)  # reading the page before the next one
            began = time.perf_counter()
            result = browser.request(method, path, data)
            local.setdefault(step, []).append((time.perf_counter() - began) * 1000)
            return result

        try:
            timed("start (GET)", "GET", "/report/")
            status, location, _ = timed("start (POST)", "POST", "/report/", {})
            assert status == 302, f"start {status}"
            for slug, data in _answers(n):
                timed(f"{slug} (GET)", "GET", f"/report/step/{slug}/")
                status, location, body = timed(f"{slug} (POST)", "POST", f"/report/step/{slug}/", data)
                assert status == 302, f"{slug} {status} {body[:200]}"
            timed("check (GET)", "GET", "/report/check/")
            status, location, _ = timed("send (POST)", "POST", "/report/check/", {})
            assert status == 302 and location.endswith("/report/done/"), f"send {status}"
            _, _, page = timed("done (GET)", "GET", "/report/done/")
            found = REFERENCE.search(page)
            assert found, "no reference on the confirmation page"
            with lock:
                out["references"].append(found.group(1))
                for step, values in local.items():
                    timings.setdefault(step, []).extend(values)
        except (AssertionError, OSError, http.client.HTTPException) as problem:
            with lock:
                out["errors"].append(str(problem)[:300])
        n += SUBMITTERS


def _probe(port: int, stop_at: float, timings: dict[str, list[float]], lock: threading.Lock,
           count: int | None = None) -> None:
    """The trivial view, a few times a second, from a browser with no session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    values: list[float] = []
    while time.monotonic() < stop_at and (count is None or len(values) < count):
        began = time.perf_counter()
        conn.request("GET", TRIVIAL_PATH, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        response.read()
        values.append((time.perf_counter() - began) * 1000)
        time.sleep(0.2)
    conn.close()
    with lock:
        timings.setdefault(TRIVIAL, []).extend(values)


ALONE_JOURNEYS = 30


def drive(port: int, seconds: int) -> dict[str, Any]:
    """The load process: first one submitter alone (each step's own cost, the baseline), then
    SUBMITTERS threads completing journeys until the time is up, and the probe."""
    timings: dict[str, list[float]] = {}
    out: dict[str, Any] = {"references": [], "errors": []}
    lock = threading.Lock()
    alone: dict[str, list[float]] = {}
    out_alone: dict[str, Any] = {"references": [], "errors": []}
    _submitter(port, SUBMITTERS * 1000, time.monotonic() + 300, alone, out_alone, lock, think=0.0,
               journeys=ALONE_JOURNEYS)
    _probe(port, time.monotonic() + 300, alone, lock, count=100)
    began = time.monotonic()
    stop_at = began + seconds
    threads = [threading.Thread(target=_submitter, args=(port, i, stop_at, timings, out, lock)) for i in range(SUBMITTERS)]
    threads += [threading.Thread(target=_probe, args=(port, stop_at, timings, lock)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return {"elapsed_s": elapsed, "timings": timings, "alone": alone, "alone_references": out_alone["references"],
            **out}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_reporting_load(database_url: str = DEFAULT_URL, seconds: int = 120) -> dict[str, Any]:
    """Prepares the database, runs gunicorn and the load process; returns the figures."""
    _prepare(database_url)
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w+b", prefix="reporting-load-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = _start_server(database_url, port, log)
    try:
        done = subprocess.run(
            [PYTHON, "-m", "bench.reporting_load", "--drive", str(port), str(seconds)],
            cwd=ROOT, env=_env(database_url), check=True, capture_output=True, text=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    server_log = Path(log.name).read_text(errors="replace")
    load = json.loads(done.stdout)
    references = load["references"]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(references + load["alone_references"], handle)
    verified = subprocess.run(
        [PYTHON, "-c", "import django, sys; django.setup(); exec(sys.argv[1])", VERIFY, handle.name],
        cwd=ROOT, env=_env(database_url), check=True, capture_output=True, text=True,
    )
    os.unlink(handle.name)
    check = json.loads(verified.stdout.strip().splitlines()[-1])
    steps = {
        step: {"n": len(values), "p50_ms": round(statistics.median(values), 1), "p95_ms": round(_percentile(values, 0.95), 1)}
        for step, values in load["timings"].items()
    }
    trivial = steps.pop(TRIVIAL, {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0})
    worst = max((s["p95_ms"] for s in steps.values()), default=0.0)
    for timing in steps.values():
        timing["x_trivial"] = round(timing["p95_ms"] / trivial["p95_ms"], 1) if trivial["p95_ms"] else None
    worst_ratio = max((t["x_trivial"] or 0.0 for t in steps.values()), default=0.0)
    # How much the load slows each step (p95 under load over p95 alone), and how that compares with
    # how much it slows the trivial view: CPU queueing slows both alike; waiting on a lock or a
    # shared row slows only the step, and shows as a ratio well above 1.
    trivial_alone = _percentile(load["alone"].pop(TRIVIAL), 0.95)
    trivial["alone_p95_ms"] = round(trivial_alone, 1)
    trivial["slowdown"] = round(trivial["p95_ms"] / trivial_alone, 2) if trivial_alone else None
    for step, values in load["alone"].items():
        if step in steps:
            timing = steps[step]
            timing["alone_p95_ms"] = round(_percentile(values, 0.95), 1)
            timing["slowdown"] = round(timing["p95_ms"] / timing["alone_p95_ms"], 2)
            timing["x_trivial_slowdown"] = round(timing["slowdown"] / trivial["slowdown"], 2) if trivial["slowdown"] else None
    worst_inflation = max((t.get("x_trivial_slowdown") or 0.0 for t in steps.values()), default=0.0)
    return {
        "submitters": SUBMITTERS,
        "think_seconds": _think_seconds(),
        "seconds": round(load["elapsed_s"], 1),
        "submissions": len(references),
        "submissions_per_s": round(len(references) / load["elapsed_s"], 2),
        "stored_and_readable": check["stored_and_readable"],
        "lost": len(check["lost"]),
        "errors": len(load["errors"]),
        "error_samples": load["errors"][:5],
        # The last line of each server-side traceback (the full log stays at server_log).
        "server_errors": [line for line in server_log.splitlines() if re.match(r"^\w+(\.\w+)*(Error|Exception)\b", line)][:10],
        "server_log": log.name,
        "worst_step_p95_ms": worst,
        "target_p95_ms": TARGET_P95_MS,
        "trivial_view": trivial,
        "worst_step_x_trivial": worst_ratio,
        "worst_step_slowdown_x_trivial": worst_inflation,
        "target_x": TARGET_RATIO,
        "met": worst < TARGET_P95_MS and worst_inflation <= TARGET_RATIO and not check["lost"],
        "steps": steps,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--drive"]:
        print(json.dumps(drive(int(argv[1]), int(argv[2]))))
        return 0
    database_url = argv[0] if argv else DEFAULT_URL
    quick = os.environ.get("BENCH_QUICK") == "1"
    seconds = int(argv[1]) if len(argv) > 1 else (30 if quick else 120)
    result = run_reporting_load(database_url, seconds)
    print(json.dumps(result, indent=2))
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
