"""Dip-sampling pages: the panel's samples and cases, the force's answers. Thin: the selectors
scope every read to the reader, the services check every write."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from umbrella.reference.selectors import current_codes
from umbrella.scrutiny import selectors, services
from umbrella.scrutiny.forms import FeedbackForm, ResponseForm
from umbrella.scrutiny.models import QUESTIONS, SampledCase
from umbrella.scrutiny.policy import answers_feedback, can_dip_sample, is_panel_member
from umbrella.web.views import current_user, form_page, pages_for, posted


@require_GET
@pages_for(can_dip_sample)
def home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    strands = {code.code: code.label for code in current_codes(scheme="strand")}
    samples = [(sample, [(case, strands.get(case.strand, case.strand)) for case in selectors.sample_cases(user, sample)])
               for sample in selectors.samples_for(user)]
    return render(request, "scrutiny/home.html", {
        "samples": samples, "panel": is_panel_member(user), "force": answers_feedback(user),
        "feedback": list(selectors.feedback_for_force(user)),
    })


@require_http_methods(["GET", "POST"])
@pages_for(can_dip_sample)
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        found = selectors.sampled_case_get(user=user, case_id=case_id)
    except SampledCase.DoesNotExist:
        raise Http404 from None
    panel = is_panel_member(user)

    def shown() -> dict[str, object]:
        return {"view": selectors.panel_case(user=user, case=found), "panel": panel}

    if panel:
        initial = {field: getattr(found, field) for field in QUESTIONS}
        return form_page(
            request, FeedbackForm(posted(request), initial=initial), template="scrutiny/case.html", context=shown,
            save=lambda data: services.feedback_record(
                actor=user, case=found, answers={field: data[field] for field in QUESTIONS}, comments=data["comments"],
            ),
            message="Feedback recorded: the force's supervisors can now read and answer it",
            then=lambda _: redirect("scrutiny:home"),
        )
    return form_page(
        request, ResponseForm(posted(request)), template="scrutiny/case.html", context=shown,
        save=lambda data: services.response_record(actor=user, case=found, response=data["response"]),
        message="Your answer has been sent to the panel", then=lambda _: redirect("scrutiny:home"),
    )
