"""The intelligence products' pages: the list with a form to make one, a product with its figures
and the analyst's sections, and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.intelligence.forms import ProfileForm, WrittenForm
from umbrella.intelligence.models import ProblemProfile
from umbrella.intelligence.pdf import profile_pdf
from umbrella.intelligence.people import repeat_suspects
from umbrella.intelligence.policy import can_make_products
from umbrella.intelligence.selectors import (
    latest_written,
    profile_figures,
    profile_get,
    profiles_for,
)
from umbrella.intelligence.services import profile_create, profile_downloaded, profile_version_write
from umbrella.statistics.tables import dashboard_charts
from umbrella.web.views import current_user, form_page, pages_for, posted

REFUSAL = "Your role does not make intelligence products."


@require_http_methods(["GET", "POST"])
@pages_for(can_make_products, refusal=REFUSAL)
def profiles(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return form_page(
        request, ProfileForm(posted(request)), template="intelligence/profiles.html",
        context=lambda: {"profiles": list(profiles_for(user=user)[:100])},
        save=lambda data: profile_create(actor=user, kind=data["kind"], area=data["area"], strand=data.get("strand") or "",
                                         first_month=data["first_month"], last_month=data["last_month"]),
        message=lambda profile: f"{profile.get_kind_display()} made: write its assessment below",
        then=lambda profile: redirect("intelligence:profile", profile_id=profile.pk),
    )


def _profile(request: HttpRequest, profile_id: int) -> ProblemProfile:
    try:
        return profile_get(user=current_user(request), profile_id=profile_id)
    except ProblemProfile.DoesNotExist as missing:
        raise Http404("No such product") from missing


@require_GET
@pages_for(can_make_products, refusal=REFUSAL)
def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = current_user(request)
    product = _profile(request, profile_id)
    figures = profile_figures(user=user, profile=product)
    written = latest_written(user=user, profile=product)
    # The statistics page's own chart of the months beside a year before.
    chart = dashboard_charts({"month": figures.months}).get("month")
    form = WrittenForm(initial={"assessment": written.assessment, "recommendations": written.recommendations}
                       if written else None)
    return render(request, "intelligence/profile.html", {
        "profile": product, "figures": figures, "written": written, "chart": chart, "form": form,
    })


@require_POST
@pages_for(can_make_products, refusal=REFUSAL)
def profile_write(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = current_user(request)
    product = _profile(request, profile_id)
    form = WrittenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"assessment": "The assessment and recommendations are at most 20,000 characters each"})
        version = profile_version_write(actor=user, profile=product, assessment=form.cleaned_data["assessment"],
                                        recommendations=form.cleaned_data["recommendations"])
    except ValidationError as error:
        messages.error(request, "; ".join(m for ms in error.message_dict.values() for m in ms))
    else:
        messages.success(request, f"Version {version.number} saved")
    return redirect("intelligence:profile", profile_id=product.pk)


@require_GET
@pages_for(can_make_products, refusal=REFUSAL)
def profile_download(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = current_user(request)
    product = _profile(request, profile_id)
    body = profile_pdf(product, profile_figures(user=user, profile=product), latest_written(user=user, profile=product))
    profile_downloaded(actor=user, profile=product)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{product.kind.replace("_", "-")}-{product.pk}.pdf"'
    return response


@require_GET
@pages_for(can_make_products, refusal=REFUSAL)
def suspects(request: HttpRequest) -> HttpResponse:
    """The repeat-suspect list for tasking, within the reader's scope."""
    return render(request, "intelligence/suspects.html", {"groups": repeat_suspects(user=current_user(request))})
