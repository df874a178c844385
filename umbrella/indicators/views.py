"""Bias indicator pages: system administrators maintain the rules; hub reviewers read them and use
'try it'. Everyone else gets 404 (the pages do not exist for them); a hub reviewer sent to an
administrator-only page gets 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from umbrella.indicators import selectors, services
from umbrella.indicators.forms import (
    ConfirmForm,
    DraftForm,
    RuleForm,
    TryForm,
)
from umbrella.indicators.matching import IndicatorMatch, MatchResult, active_matcher
from umbrella.indicators.models import Rule, RuleSet
from umbrella.indicators.policy import can_admin_indicators, can_read_indicators
from umbrella.web.views import View, current_user, form_page, pages_for, posted

# Other roles never learn the pages exist; readers who may not change the rules get 403.
indicator_reader_required = pages_for(can_read_indicators)


def indicator_admin_required(view: View) -> View:
    return indicator_reader_required(
        pages_for(can_admin_indicators, refusal="Only indicator administrators change the rules.")(view)
    )


def _ruleset_or_404(number: int) -> RuleSet:
    ruleset = selectors.ruleset_get(number=number)
    if ruleset is None:
        raise Http404
    return ruleset


def _draft_or_404(number: int) -> RuleSet:
    ruleset = _ruleset_or_404(number)
    if not ruleset.is_draft:
        raise Http404
    return ruleset


def _rule_or_404(ruleset: RuleSet, pk: int) -> Rule:
    rule = selectors.rule_get(ruleset=ruleset, pk=pk)
    if rule is None:
        raise Http404
    return rule


@indicator_reader_required
@require_GET
def version_list(request: HttpRequest) -> HttpResponse:
    return render(request, "indicators/version_list.html", {
        "versions": list(selectors.ruleset_list()),
        "draft": selectors.draft_ruleset(),
        "is_admin": can_admin_indicators(request.user),
    })


@indicator_reader_required
@require_GET
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    ruleset = _ruleset_or_404(number)
    is_admin = can_admin_indicators(request.user)
    show = is_admin and request.GET.get("show") == "slurs"
    if show:
        services.slurs_shown(actor=request.user, ruleset=ruleset)  # type: ignore[arg-type]
    return render(request, "indicators/version_detail.html", {
        "ruleset": ruleset,
        "groups": selectors.rules_by_strand(ruleset=ruleset),
        "show_slurs": show,
        "is_admin": is_admin,
        "editable": is_admin and ruleset.is_draft,
    })


@indicator_admin_required
@require_http_methods(["GET", "POST"])
def draft_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request, DraftForm(posted(request)), template="indicators/draft_form.html",
        context=lambda: {"active": selectors.active_ruleset(), "draft": selectors.draft_ruleset()},
        save=lambda data: services.ruleset_draft_create(actor=current_user(request), note=data["note"]),
        message=lambda draft: f"Version {draft.number} created as a draft with a copy of the active rules.",
        then=lambda draft: redirect("indicators:version", number=draft.number),
    )


@indicator_admin_required
@require_http_methods(["GET", "POST"])
def version_activate(request: HttpRequest, number: int) -> HttpResponse:
    ruleset = _draft_or_404(number)
    return form_page(
        request, ConfirmForm(posted(request)), template="indicators/activate.html",
        context=lambda: {"ruleset": ruleset, "active": selectors.active_ruleset(),
                         "rule_count": ruleset.rules.filter(retired=False).count()},
        save=lambda _: services.ruleset_activate(actor=current_user(request), ruleset=ruleset),
        message=f"Version {ruleset.number} is now active. Screening uses it from now on.",
        then=lambda _: redirect("indicators:version", number=ruleset.number),
    )


@indicator_admin_required
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest, number: int) -> HttpResponse:
    ruleset = _draft_or_404(number)
    form = RuleForm(posted(request))
    return form_page(
        request, form, template="indicators/rule_form.html", context={"ruleset": ruleset, "rule": None},
        save=lambda _: services.rule_add(actor=current_user(request), ruleset=ruleset, **form.service_kwargs()),
        message=f"Rule added to draft version {ruleset.number}.",
        then=lambda _: redirect("indicators:version", number=ruleset.number),
    )


@indicator_admin_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, number: int, pk: int) -> HttpResponse:
    ruleset = _draft_or_404(number)
    rule = _rule_or_404(ruleset, pk)
    form = RuleForm(posted(request), initial=RuleForm.initial_for(rule))
    return form_page(
        request, form, template="indicators/rule_form.html", context={"ruleset": ruleset, "rule": rule},
        save=lambda _: services.rule_update(actor=current_user(request), rule=rule, **form.service_kwargs()),
        message=f"Rule changed in draft version {ruleset.number}.",
        then=lambda _: redirect("indicators:version", number=ruleset.number),
    )


@indicator_admin_required
@require_http_methods(["GET", "POST"])
def rule_retire(request: HttpRequest, number: int, pk: int) -> HttpResponse:
    ruleset = _draft_or_404(number)
    rule = _rule_or_404(ruleset, pk)
    return form_page(
        request, ConfirmForm(posted(request)), template="indicators/rule_retire.html",
        context={"ruleset": ruleset, "rule": rule},
        save=lambda _: services.rule_retire(actor=current_user(request), rule=rule),
        message=f"Rule removed from draft version {ruleset.number}.",
        then=lambda _: redirect("indicators:version", number=ruleset.number),
    )


@dataclass(frozen=True)
class Segment:
    text: str
    fired: tuple[IndicatorMatch, ...] = ()
    suppressed: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        parts = [m.reason for m in self.fired] + list(self.suppressed)
        return "; ".join(parts)


def highlight(text: str, result: MatchResult) -> list[Segment]:
    """The text cut at every match boundary; each piece knows which matches cover it."""
    spans = [(m.start, m.end) for m in result.matches if m.end > m.start]
    spans += [(s.match.start, s.match.end) for s in result.suppressed if s.match.end > s.match.start]
    cuts = sorted({0, len(text), *(p for span in spans for p in span)})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        fired = tuple(m for m in result.matches if m.start <= start and end <= m.end and m.end > m.start)
        suppressed = tuple(f"not counted ({s.why}): {s.match.reason}" for s in result.suppressed
                           if s.match.start <= start and end <= s.match.end)
        segments.append(Segment(text[start:end], fired, suppressed))
    return segments


@indicator_reader_required
@require_http_methods(["GET", "POST"])
def try_it(request: HttpRequest) -> HttpResponse:
    form = TryForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "result": None}
    if request.method == "POST" and form.is_valid():
        matcher = active_matcher()
        text = form.cleaned_data["text"]
        result = matcher.explain(
            text, location_type=form.cleaned_data.get("location_type") or "",
            online_platform=form.cleaned_data.get("online_platform") or "",
            occurred_on=form.cleaned_data.get("occurred_on"),
        )
        context.update(
            result=result, segments=highlight(text, result), version=matcher.version,
            context_matches=[m for m in result.matches if m.kind == "context"],
            text_matches=[m for m in result.matches if m.kind != "context"],
        )
    return render(request, "indicators/try.html", context)
