"""Organisation, team and user administration pages under /manage/.

Only organisation and system administrators reach these; everyone else, and every object
outside the administrator's organisation, gets 404 so the pages reveal nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from umbrella.accounts.models import User
from umbrella.administration import selectors, services
from umbrella.administration.forms import (
    OrganisationForm,
    PasswordForm,
    TeamEditForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
)
from umbrella.agencies.models import Organisation, Team
from umbrella.web.views import form_page, pages_for, posted

# Signed-out users go to sign in; signed-in users who administer nothing get 404.
administrators_only = pages_for(selectors.can_administer)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # administrators_only has checked this
    return request.user


def _organisation_or_404(request: HttpRequest, organisation_id: int) -> Organisation:
    try:
        return selectors.organisation_get(user=request.user, organisation_id=organisation_id)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def _user_or_404(request: HttpRequest, user_id: int) -> User:
    try:
        return selectors.user_get(user=request.user, user_id=user_id)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def _team_or_404(request: HttpRequest, team_id: int) -> Team:
    try:
        return selectors.team_get(user=request.user, team_id=team_id)
    except Team.DoesNotExist as exc:
        raise Http404 from exc


def _organisation_url(organisation: Organisation | None) -> str:
    if organisation is None:
        return reverse("administration:home")
    return reverse("administration:organisation", kwargs={"organisation_id": organisation.pk})


def _organisation_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "administration/organisation.html",
        {
            "organisation": organisation,
            "users": selectors.user_list(user=request.user, organisation=organisation),
            "teams": selectors.team_list(user=request.user, organisation=organisation),
            "is_system_admin": selectors.is_system_admin(request.user),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET"])
@administrators_only
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not selectors.is_system_admin(actor):
        return _organisation_page(request, _organisation_or_404(request, actor.organisation_id or 0))
    return render(
        request,
        "administration/home.html",
        {
            "organisations": selectors.organisation_list(user=actor),
            "system_admins": selectors.user_list(user=actor, organisation=None),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET"])
@administrators_only
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _organisation_page(request, _organisation_or_404(request, organisation_id))


@require_http_methods(["GET", "POST"])
@administrators_only
def organisation_add(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not selectors.is_system_admin(actor):
        raise Http404
    return form_page(
        request, OrganisationForm(posted(request)), template="administration/organisation_form.html",
        save=lambda data: services.organisation_create(actor=actor, **data),
        message=lambda created: f"{created.name} has been added", then=lambda created: redirect(_organisation_url(created)),
    )


def _user_create_page(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    actor = _actor(request)
    teams = selectors.active_teams_of(organisation=organisation) if organisation else Team.objects.none()
    return form_page(
        request, UserCreateForm(posted(request), organisation=organisation, teams=teams),
        template="administration/user_add.html",
        context={"organisation": organisation, "back_url": _organisation_url(organisation)},
        save=lambda data: services.user_create(actor=actor, organisation=organisation, **data),
        message=lambda created: f"User {created.username} has been added",
        then=lambda _: redirect(_organisation_url(organisation)),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def user_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _user_create_page(request, _organisation_or_404(request, organisation_id))


@require_http_methods(["GET", "POST"])
@administrators_only
def system_admin_add(request: HttpRequest) -> HttpResponse:
    if not selectors.is_system_admin(request.user):
        raise Http404
    return _user_create_page(request, None)


@require_http_methods(["GET", "POST"])
@administrators_only
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(request, user_id)
    organisation = subject.organisation
    teams = Team.objects.filter(organisation=organisation).order_by("-is_active", "name") if organisation else Team.objects.none()
    initial = {"role": subject.role, "team": subject.team_id, "is_active": subject.is_active}
    return form_page(
        request, UserEditForm(posted(request), initial=initial, organisation=organisation, teams=teams),
        template="administration/user_edit.html",
        context={
            "subject": subject,
            "back_url": _organisation_url(organisation),
            "is_locked": subject.locked_until is not None and subject.locked_until > timezone.now(),
        },
        save=lambda data: services.user_update(actor=actor, user=subject, **data),
        message=f"Changes to {subject.username} have been saved", then=lambda _: redirect(_organisation_url(organisation)),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = _user_or_404(request, user_id)
    if request.method == "POST":
        services.user_unlock(actor=_actor(request), user=subject)
        messages.success(request, f"{subject.username} can sign in again")
        return redirect(_organisation_url(subject.organisation))
    return render(
        request,
        "administration/user_unlock.html",
        {
            "subject": subject,
            "back_url": _organisation_url(subject.organisation),
            "is_locked": subject.locked_until is not None and subject.locked_until > timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = _user_or_404(request, user_id)
    return form_page(
        request, PasswordForm(posted(request)), template="administration/user_password.html",
        context={"subject": subject, "back_url": _organisation_url(subject.organisation)},
        save=lambda data: services.user_set_password(actor=_actor(request), user=subject, password=data["password"]),
        message=f"The password for {subject.username} has been changed",
        then=lambda _: redirect(_organisation_url(subject.organisation)),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def team_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_or_404(request, organisation_id)
    return form_page(
        request, TeamForm(posted(request)), template="administration/team_form.html",
        context={"organisation": organisation, "team": None, "back_url": _organisation_url(organisation)},
        save=lambda data: services.team_create(actor=_actor(request), organisation=organisation, **data),
        message=lambda created: f"Team {created.name} has been added",
        then=lambda _: redirect(_organisation_url(organisation)),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_or_404(request, team_id)
    initial = {"name": team.name, "borough_code": team.borough_code, "is_active": team.is_active}
    return form_page(
        request, TeamEditForm(posted(request), initial=initial), template="administration/team_form.html",
        context={"organisation": team.organisation, "team": team, "back_url": _organisation_url(team.organisation)},
        save=lambda data: services.team_update(actor=_actor(request), team=team, **data),
        message=lambda updated: f"Changes to team {updated.name} have been saved",
        then=lambda _: redirect(_organisation_url(team.organisation)),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def organisation_two_factor(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Require two-factor sign-in of every account of the organisation, or stop requiring it."""
    from umbrella.accounts.two_factor import organisation_two_factor_require

    organisation = _organisation_or_404(request, organisation_id)
    if request.method == "POST":
        wanted = request.POST.get("required")
        if wanted not in ("yes", "no"):
            return render(request, "administration/organisation_two_factor.html", {
                "organisation": organisation, "back_url": _organisation_url(organisation),
                "errors": [{"href": "#two-factor-choice", "text": "Choose whether to require two-factor sign-in"}],
            }, status=400)
        changed = organisation_two_factor_require(actor=_actor(request), organisation=organisation, required=wanted == "yes")
        messages.success(request, f"{changed.name} {'now requires' if changed.requires_two_factor else 'no longer requires'} "
                                  "two-factor sign-in of every account")
        return redirect(_organisation_url(changed))
    return render(request, "administration/organisation_two_factor.html",
                  {"organisation": organisation, "back_url": _organisation_url(organisation), "errors": []})
