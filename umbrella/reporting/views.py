"""The public report journey. No sign-in; progress lives in a ReportDraft found by resume code.

Every page is ``never_cache`` (Cache-Control: no-store), so Back after the quick exit, or a
shared computer's cache, shows nothing someone typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from umbrella.reporting import drafts, steps
from umbrella.reporting.check import answer_rows
from umbrella.reporting.evidence import MAX_FILES, EvidenceProblem, clean_evidence
from umbrella.reporting.forms import ProgressForm, ResumeForm
from umbrella.reporting.ratelimit import client_address_hash, rate_limit_hit
from umbrella.reporting.services import draft_submit, first_unanswered

SESSION_CODE = "reporting.code"
SESSION_EASY = "reporting.easy"
SESSION_REFERENCE = "reporting.reference"
SESSION_CHECK = "reporting.check_code"
HONEYPOT = "website"
# Evidence requests bigger than this are refused before the files are read.
MAX_EVIDENCE_REQUEST = MAX_FILES * 8 * 1024 * 1024 + 1024 * 1024


def _easy(request: HttpRequest) -> bool:
    wanted = request.GET.get("easy")
    if wanted in ("0", "1"):
        request.session[SESSION_EASY] = wanted == "1"
    return bool(request.session.get(SESSION_EASY, False))


def _opened(request: HttpRequest) -> drafts.OpenDraft | None:
    code = request.session.get(SESSION_CODE)
    return drafts.draft_open(code=code) if code else None


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    opened = context.get("opened")
    context = {
        "easy": _easy(request),
        "resume_code": opened.code if opened else "",
        "honeypot": HONEYPOT,
        **context,
    }
    return render(request, template, context, status=status)


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _page(request, "reporting/refused.html", {"message": message}, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _refused(request, _("You have tried this too many times. Wait an hour and try again, or call 101."), 429)


def _bot(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT))


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _bot(request):
            return _refused(request, _("We could not accept this form."), 400)
        if rate_limit_hit(bucket="start", address_hash=client_address_hash(request)):
            return _too_many(request)
        opened = drafts.draft_start()
        request.session[SESSION_CODE] = opened.code
        return redirect("reporting:step", slug=steps.SLUGS[0])
    return _page(request, "reporting/start.html", {"opened": _opened(request)})


@never_cache
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(bucket="resume", address_hash=client_address_hash(request)):
            return _too_many(request)
        opened = drafts.draft_open(code=form.cleaned_data["code"])
        if opened is not None:
            request.session[SESSION_CODE] = opened.code
            response = redirect("reporting:step", slug=opened.draft.reached_step)
            # Back in the language the report was being written in, whichever browser this is.
            language = drafts.draft_answers(opened).get("language")
            if language in dict(settings.LANGUAGES) and language != get_language():
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                                    secure=settings.SESSION_COOKIE_SECURE, httponly=True)
            return response
        form.add_error("code", _("We could not find a saved report with that code. Check it and try again."))
    return _page(request, "reporting/resume.html", {"form": form})


@never_cache
@require_GET
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Forgets the draft in this browser (it can still be resumed by code) and leaves."""
    for key in (SESSION_CODE, SESSION_REFERENCE, SESSION_EASY):
        request.session.pop(key, None)
    return HttpResponseRedirect(settings.UMBRELLA_QUICK_EXIT_URL)


@never_cache
@require_GET
def saved(request: HttpRequest) -> HttpResponse:
    opened = _opened(request)
    if opened is None:
        return redirect("reporting:start")
    return _page(request, "reporting/saved.html", {"opened": opened})


def _step_urls(request: HttpRequest, slug: str) -> tuple[str, str]:
    """Where Back goes and where a valid answer goes next."""
    if request.GET.get("change"):
        check = reverse("reporting:check")
        return check, check
    before, after = steps.previous_slug(slug), steps.next_slug(slug)
    back = reverse("reporting:step", args=[before]) if before else reverse("reporting:start")
    forward = reverse("reporting:step", args=[after]) if after else reverse("reporting:check")
    return back, forward


def _reached(opened: drafts.OpenDraft, slug: str) -> str:
    current = opened.draft.reached_step
    return slug if current not in steps.SLUGS or steps.SLUGS.index(slug) > steps.SLUGS.index(current) else current


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    page = steps.BY_SLUG.get(slug)
    if page is None:
        raise Http404
    opened = _opened(request)
    if opened is None:
        return redirect("reporting:start")
    if page.form is None:
        return _evidence(request, opened, page)
    back, forward = _step_urls(request, slug)
    answers = drafts.draft_answers(opened)
    initial_from = getattr(page.form, "initial_from", None)
    initial = initial_from(answers) if initial_from else answers
    form = page.form(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "save":
        # "Save and come back later" keeps what is on this page first: all of it when it is
        # complete, otherwise every answer that is already good (nothing typed is lost to a
        # missing answer elsewhere on the page), and comes back to this page.
        valid = form.is_valid()
        values = form.answers() if valid else _good_answers(form)
        drafts.draft_save(opened=opened, values={**values, "language": get_language()},
                          reached_step=_reached(opened, (steps.next_slug(slug) or slug) if valid else slug))
        return redirect("reporting:saved")
    if request.method == "POST" and form.is_valid():
        drafts.draft_save(opened=opened, values={**form.answers(), "language": get_language()},
                          reached_step=_reached(opened, steps.next_slug(slug) or slug))
        return HttpResponseRedirect(forward)
    if _easy(request):
        form.use_easy_read()
    return _page(request, page.template, {"opened": opened, "page": page, "form": form, "back": back,
                                          "save_button": True})


def _good_answers(form: Any) -> dict[str, Any]:
    """The words typed on an incomplete page that passed their own checks (text fields keep their
    answers as typed): choices wait for the victim to come back, as they are quick to make again."""
    return {name: value for name, value in form.cleaned_data.items()
            if isinstance(form.fields[name], forms.CharField) and isinstance(value, str) and value}


def _evidence(request: HttpRequest, opened: drafts.OpenDraft, page: steps.Step) -> HttpResponse:
    back, forward = _step_urls(request, page.slug)
    error = ""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_EVIDENCE_REQUEST:
        return _refused(request, _("The files you chose are too big. Each file must be smaller than 8MB."), 413)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action.startswith("remove-") and action[7:].isdigit():
            drafts.draft_remove_evidence(opened=opened, evidence_id=int(action[7:]))
            return HttpResponseRedirect(request.get_full_path())
        uploads = request.FILES.getlist("evidence")
        if uploads:
            if rate_limit_hit(bucket="evidence", address_hash=client_address_hash(request)):
                return _too_many(request)
            try:
                cleaned = clean_evidence(uploads, already=opened.draft.evidence.count())
            except EvidenceProblem as problem:
                error = problem.message
            else:
                drafts.draft_add_evidence(opened=opened, files=cleaned)
        if not error:
            if action == "upload":
                return HttpResponseRedirect(request.get_full_path())
            drafts.draft_save(opened=opened, values={}, reached_step=_reached(opened, steps.next_slug(page.slug) or ""))
            return HttpResponseRedirect(forward)
    files = drafts.draft_evidence(opened)
    return _page(
        request,
        page.template,
        {
            "opened": opened,
            "page": page,
            "files": files,
            "error": error,
            "error_items": [{"href": "#evidence", "text": error}] if error else [],
            "back": back,
            "max_files": MAX_FILES,
        },
        status=400 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    opened = _opened(request)
    if opened is None:
        return redirect("reporting:start")
    answers = drafts.draft_answers(opened)
    missing = first_unanswered(answers)
    if missing:
        return redirect("reporting:step", slug=missing)
    if request.method == "POST":
        if _bot(request):
            return _refused(request, _("We could not accept this form."), 400)
        address = client_address_hash(request)
        if rate_limit_hit(bucket="submit", address_hash=address):
            return _too_many(request)
        try:
            submitted = draft_submit(
                opened=opened, language=get_language(), easy_read=_easy(request), client_address_hash=address
            )
        except ValidationError as exc:
            errors = [{"href": "#main-content", "text": message} for message in exc.messages]
            return _check_page(request, opened, answers, errors, status=400)
        request.session.pop(SESSION_CODE, None)
        request.session[SESSION_REFERENCE] = submitted.reference
        # Shown on the next page and then forgotten: only its digest is stored.
        request.session[SESSION_CHECK] = submitted.check_code
        return redirect("reporting:done")
    return _check_page(request, opened, answers, [])


def _check_page(
    request: HttpRequest, opened: drafts.OpenDraft, answers: dict[str, Any], errors: list[dict[str, str]],
    status: int = 200,
) -> HttpResponse:
    rows = answer_rows(answers, [item.name for _, item in drafts.draft_evidence(opened)])
    back = reverse("reporting:step", args=[steps.SLUGS[-1]])
    context = {"opened": opened, "rows": rows, "back": back, "errors": errors}
    return _page(request, "reporting/check.html", context, status=status)


@never_cache
@require_GET
def done(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return redirect("reporting:start")
    check_code = request.session.pop(SESSION_CHECK, "")
    return _page(request, "reporting/done.html", {"reference": reference, "check_code": check_code})


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """A reporter checks where their report has got to, with its reference and check code, and may
    withdraw a consent they gave (a button per consent still in force, each a POST with both)."""
    from umbrella.consent.models import ConsentScope
    from umbrella.intake.selectors import progress_lines, report_consents, report_copies
    from umbrella.intake.services import consent_withdraw_online
    from umbrella.reporting.forms import CONSENT_WORDS

    form = ProgressForm(request.POST if request.method == "POST" else None)
    lines: list[Any] | None = None
    consents: list[dict[str, Any]] = []
    withdrawn = False
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(bucket="progress", address_hash=client_address_hash(request)):
            return _too_many(request)
        reference, code = form.cleaned_data["reference"], form.cleaned_data["code"]
        copy, _sep, scope = request.POST.get("withdraw", "").partition(":")
        if copy.isdigit():
            withdrawn = consent_withdraw_online(reference=reference, code=code, copy=int(copy), scope=scope)
        copies = report_copies(reference=reference, code=code)
        if not copies:
            # The same words whether the reference or the code is wrong: neither says a report exists.
            form.add_error(None, _("We cannot find a report with that reference number and check code. "
                                   "Check both and try again."))
        else:
            lines = progress_lines(copies)
            consents = [{"copy": given.copy, "organisation": given.organisation,
                         "questions": [(scope, CONSENT_WORDS[ConsentScope(scope)]) for scope in given.scopes]}
                        for given in report_consents(copies=copies) if given.scopes]
    return _page(request, "reporting/progress.html",
                 {"form": form, "lines": lines, "consents": consents, "withdrawn": withdrawn})
