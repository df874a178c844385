"""Reference data administration pages. Only system administrators see them; others get 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from umbrella.accounts.policy import REFERENCE_ADMINS, has_role
from umbrella.reference import selectors, services
from umbrella.reference.forms import CodeAddForm, CodeEditForm, RetireForm
from umbrella.reference.models import Code, ReferenceVersion, Scheme
from umbrella.web.views import current_user, form_page, pages_for, posted

# Out of scope looks the same as missing: these pages do not exist for other roles.
reference_admin_required = pages_for(lambda user: has_role(user, REFERENCE_ADMINS))


def _scheme_or_404(scheme: str) -> Scheme:
    if scheme not in Scheme.values:
        raise Http404
    return Scheme(scheme)


def _current_row_or_404(scheme: Scheme, pk: int) -> Code:
    row = Code.objects.of(scheme.value).filter(pk=pk).select_related("introduced_in", "retired_in").first()
    if row is None:
        raise Http404
    return row


@reference_admin_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/scheme_list.html", {
        "summaries": selectors.scheme_summaries(),
        "latest": ReferenceVersion.objects.order_by("-number").first(),
    })


@reference_admin_required
@require_GET
def scheme_detail(request: HttpRequest, scheme: str) -> HttpResponse:
    chosen = _scheme_or_404(scheme)
    codes = selectors.current_codes(scheme=chosen.value).select_related("introduced_in")
    return render(request, "reference/scheme_detail.html", {
        "scheme": chosen,
        "codes": codes,
        "has_parent": chosen.value in services.PARENT_SCHEME,
    })


@reference_admin_required
@require_http_methods(["GET", "POST"])
def code_add(request: HttpRequest, scheme: str) -> HttpResponse:
    chosen = _scheme_or_404(scheme)
    form = CodeAddForm(posted(request), scheme=chosen.value)
    return form_page(
        request, form, template="reference/code_form.html", context={"scheme": chosen, "row": None},
        save=lambda data: services.code_create(
            actor=current_user(request), scheme=chosen.value, code=data["code"], sort_order=data.get("sort_order"),
            **form.service_kwargs(),
        ),
        message=lambda row: f"Added “{row.label}” ({row.code}) as version {row.introduced_in.number}.",
        then=lambda _: redirect("reference:scheme", scheme=chosen.value),
    )


@reference_admin_required
@require_http_methods(["GET", "POST"])
def code_edit(request: HttpRequest, scheme: str, pk: int) -> HttpResponse:
    chosen = _scheme_or_404(scheme)
    row = _current_row_or_404(chosen, pk)
    if request.method == "GET" and not row.is_current:
        # An old link to a row since replaced: show the code's history rather than a stale form.
        return redirect("reference:code-history", scheme=chosen.value, code=row.code)
    form = CodeEditForm(posted(request), scheme=chosen.value, initial=CodeEditForm.initial_for(row))
    return form_page(
        request, form, template="reference/code_form.html", context={"scheme": chosen, "row": row},
        save=lambda data: services.code_update(
            actor=current_user(request), code=row,
            sort_order=row.sort_order if data.get("sort_order") is None else data["sort_order"],
            **form.service_kwargs(),
        ),
        message=lambda replacement: (
            f"Changed “{replacement.label}” ({replacement.code}) as version {replacement.introduced_in.number}. "
            "Records made before keep the previous wording."
        ),
        then=lambda _: redirect("reference:scheme", scheme=chosen.value),
    )


@reference_admin_required
@require_http_methods(["GET", "POST"])
def code_retire(request: HttpRequest, scheme: str, pk: int) -> HttpResponse:
    chosen = _scheme_or_404(scheme)
    row = _current_row_or_404(chosen, pk)
    if request.method == "GET" and not row.is_current:
        # An old link to a row since replaced: show the code's history rather than a stale form.
        return redirect("reference:code-history", scheme=chosen.value, code=row.code)
    return form_page(
        request, RetireForm(posted(request)), template="reference/code_retire.html", context={"scheme": chosen, "row": row},
        save=lambda data: services.code_retire(actor=current_user(request), code=row, reason=data["reason"]),
        message=f"Retired “{row.label}” ({row.code}).", then=lambda _: redirect("reference:scheme", scheme=chosen.value),
    )


@reference_admin_required
@require_GET
def code_history(request: HttpRequest, scheme: str, code: str) -> HttpResponse:
    chosen = _scheme_or_404(scheme)
    rows = list(selectors.code_history(scheme=chosen.value, code=code))
    if not rows:
        raise Http404
    return render(request, "reference/code_history.html", {"scheme": chosen, "code": code, "rows": rows})


@reference_admin_required
@require_GET
def version_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/version_list.html", {"versions": selectors.version_list()})


@reference_admin_required
@require_GET
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    try:
        version, introduced, retired = selectors.version_changes(number=number)
    except ReferenceVersion.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "reference/version_detail.html", {
        "version": version, "introduced": introduced, "retired": retired,
    })
