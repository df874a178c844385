"""The outcome section on the record page (crimes only)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from umbrella.core.dates import as_written
from umbrella.core.extensions import RecordPanel
from umbrella.outcomes.models import (
    ChargingDecisionKind,
    CourtResultKind,
    Decider,
    HearingKind,
    Plea,
    ReviewResult,
    ReviewScheme,
)
from umbrella.outcomes.policy import (
    can_record_outcome,
    can_record_prosecution,
    has_home_office_outcome,
    review_follows,
)
from umbrella.outcomes.selectors import (
    charging_decisions_of,
    court_hearings_of,
    court_results_of,
    outcomes_of,
    reviews_of,
)

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record


def outcome_panel(user: User, record: Record) -> RecordPanel | None:
    if not has_home_office_outcome(record):
        return None
    history = list(outcomes_of(record=record))
    decisions = list(charging_decisions_of(record=record))
    results = list(court_results_of(record=record))
    hearings = list(court_hearings_of(record=record))
    reviews = list(reviews_of(record=record))
    return RecordPanel(
        template="outcomes/panel.html",
        context={"record": record, "latest": history[0] if history else None, "earlier": history[1:],
                 "decisions": decisions, "results": results, "hearings": hearings, "reviews": reviews,
                 # A review follows a decision not to charge, or a prosecution stopped at court.
                 "reviewable": review_follows(decision=decisions[0] if decisions else None,
                                              court=results[0] if results else None) is not None,
                 "charged": bool(decisions) and decisions[0].decision == ChargingDecisionKind.CHARGE,
                 "can_record": can_record_outcome(user, record),
                 "can_prosecute": can_record_prosecution(user, record)},
        order=30,
    )


def describe_outcome_event(changes: Mapping[str, Any], who: str, label: Callable[[str, Any], str]) -> str:
    """The record timeline's line for an outcome (see core.extensions.register_timeline_describer)."""
    outcome = label("outcome", changes.get("outcome"))
    suspect = "suspect identified" if changes.get("suspect_identified") else "no suspect identified"
    try:
        decided = as_written(date.fromisoformat(str(changes.get("decided_on"))))
    except ValueError:
        decided = str(changes.get("decided_on") or "")
    return f"Outcome recorded by {who}: {outcome} ({suspect}), decided {decided}"


def describe_charging_event(changes: Mapping[str, Any], who: str, label: Callable[[str, Any], str]) -> str:
    """The record timeline's line for a charging decision."""
    decision = str(_choice_label(ChargingDecisionKind, changes.get("decision")))
    decider = str(_choice_label(Decider, changes.get("decided_by"))).lower()
    try:
        decided = as_written(date.fromisoformat(str(changes.get("decided_on"))))
    except ValueError:
        decided = str(changes.get("decided_on") or "")
    return f"Charging decision recorded by {who}: {decision}, decided by {decider} on {decided}"


def _choice_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def describe_court_event(changes: Mapping[str, Any], who: str, label: Callable[[str, Any], str]) -> str:
    """The record timeline's line for a court result."""
    result = _choice_label(CourtResultKind, changes.get("result"))
    offence = f" of {label('offence', changes['offence'])}" if changes.get("offence") else ""
    uplift = ", sentence increased for hostility" if changes.get("uplift_applied") else ""
    try:
        decided = as_written(date.fromisoformat(str(changes.get("decided_on"))))
    except ValueError:
        decided = str(changes.get("decided_on") or "")
    return f"Court result recorded by {who}: {result}{offence}{uplift}, on {decided}"


def describe_review_request(changes: Mapping[str, Any], who: str, label: Callable[[str, Any], str]) -> str:
    """The record timeline's line for a Victims' Right to Review request."""
    scheme = _choice_label(ReviewScheme, changes.get("scheme"))
    return f"The victim asked for a review ({scheme}), recorded by {who}, on {_written(changes.get('requested_on'))}"


def describe_review_decision(changes: Mapping[str, Any], who: str, label: Callable[[str, Any], str]) -> str:
    """The record timeline's line for a review's result."""
    result = _choice_label(ReviewResult, changes.get("result"))
    return f"Right to Review result recorded by {who}: {result}, decided {_written(changes.get('decided_on'))}"


def _written(value: Any) -> str:
    try:
        return as_written(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def describe_hearing_event(changes: Mapping[str, Any], who: str, label: Callable[[str, Any], str]) -> str:
    """The record timeline's line for a court hearing."""
    kind = _choice_label(HearingKind, changes.get("kind"))
    plea = changes.get("plea")
    pleaded = f", pleaded {_choice_label(Plea, plea).lower()}" if plea and plea != Plea.NOT_ENTERED else ""
    return f"Court hearing recorded by {who}: {kind} on {_written(changes.get('heard_on'))}{pleaded}"


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.cases.closing import register_closing_check
    from umbrella.core.extensions import (
        NavEntry,
        register_board_measures,
        register_navigation,
        register_record_panel,
        register_timeline_describer,
    )
    from umbrella.core.worklist import register_worklist_provider
    from umbrella.outcomes import actions
    from umbrella.outcomes.policy import can_see_funnel
    from umbrella.outcomes.selectors import board_measures, outcome_missing, review_work_items

    register_record_panel("outcomes", outcome_panel)
    register_worklist_provider("outcomes.reviews", review_work_items)
    register_navigation(NavEntry("Outcomes funnel", "/outcomes/funnel/", allowed=can_see_funnel, order=70))
    register_closing_check("outcomes", outcome_missing)
    register_board_measures("outcomes", board_measures)
    register_timeline_describer(actions.RECORD_OUTCOME, describe_outcome_event)
    register_timeline_describer(actions.RECORD_CHARGING_DECISION, describe_charging_event)
    register_timeline_describer(actions.RECORD_COURT_RESULT, describe_court_event)
    register_timeline_describer(actions.RECORD_COURT_HEARING, describe_hearing_event)
    register_timeline_describer(actions.RECORD_REVIEW_REQUEST, describe_review_request)
    register_timeline_describer(actions.RECORD_REVIEW_DECISION, describe_review_decision)
