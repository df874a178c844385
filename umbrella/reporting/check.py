"""The rows of the check-your-answers page: question, answer as the person will recognise it, step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from umbrella.agencies.models import Organisation
from umbrella.reference.models import Code, Scheme
from umbrella.reporting.forms import CONSENT_WORDS
from umbrella.reporting.labels import public_label


@dataclass(frozen=True)
class Row:
    question: str
    answer: str
    step: str


def _labels(scheme: str, codes: list[str]) -> str:
    found = dict(Code.objects.current().of(scheme).filter(code__in=codes).values_list("code", "label"))
    translate = (lambda label: label) if scheme == Scheme.BOROUGH else public_label
    return ", ".join(translate(found[code]) if code in found else code for code in codes)


def _yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def answer_rows(answers: dict[str, Any], evidence_names: list[str]) -> list[Row]:
    a = answers.get
    roles = {
        "victim": _("It happened to me"),
        "witness": _("I saw it happen"),
        "on_behalf": _("I am reporting for someone else"),
        "organisation": _("I am reporting for an organisation"),
    }
    destinations = {"police": _("The police"), "centre": _("A third-party reporting centre, not the police"),
                    "both": _("Both the police and a reporting centre")}
    known = {"yes": _("Yes"), "no": _("No"), "not_sure": _("Not sure")}
    if a("is_online"):
        where = ", ".join(filter(None, [_labels(Scheme.ONLINE_PLATFORM, [str(a("online_platform_code"))]) if a("online_platform_code") else "", a("online_link", "")]))
    else:
        where = ", ".join(filter(None, [
            a("location_description", ""), a("postcode", ""),
            _labels(Scheme.BOROUGH, [str(a("borough_code"))]) if a("borough_code") else "",
            _labels(Scheme.LOCATION_TYPE, [str(a("location_type_code"))]) if a("location_type_code") else "",
        ]))
    why = ", ".join(filter(None, [_labels(Scheme.STRAND, list(a("strands") or [])), a("strand_other_text", "")]))
    harm = "\n".join(filter(None, [a("injury", ""), a("damage", ""), a("loss", "")]))
    support = "\n".join(filter(None, [a("interpreter_language", ""), a("accessibility_needs", ""), a("other_needs", "")]))
    if a("anonymous"):
        contact = _("I want to stay anonymous")
    else:
        contact = "\n".join(filter(None, [a("contact_name", ""), a("contact_email", ""), a("contact_phone", ""),
                                          a("contact_address", ""), a("contact_safe_times", "")]))
        contact += "\n" + _("Voicemail safe: %(answer)s") % {"answer": _yes_no(a("voicemail_safe"))}
        contact += "\n" + _("Letter safe: %(answer)s") % {"answer": _yes_no(a("letter_safe"))}
    destination = str(destinations.get(a("destination", ""), ""))
    if a("centre_slug"):
        centre = Organisation.objects.filter(slug=a("centre_slug")).values_list("name", flat=True).first()
        destination += f": {centre or ''}"
    consents = a("consents") or {}
    consent = "\n".join(f"{CONSENT_WORDS[scope]} {_yes_no(consents.get(scope.value))}" for scope in CONSENT_WORDS)
    none = _("Not given")
    return [
        Row(_("Who is reporting"), str(roles.get(a("reporter_role", ""), "")) + (f" ({a('reporter_organisation')})" if a("reporter_organisation") else ""), "who"),
        Row(_("What happened"), a("narrative", ""), "what"),
        Row(_("Words used"), a("words_used", "") or none, "words"),
        Row(_("When"), " ".join(filter(None, [a("occurred_on") or "", a("occurred_time_text", "")])) or none, "when"),
        Row(_("Where"), where or none, "where"),
        Row(_("Why"), why, "why"),
        Row(_("Who did it"), " ".join(filter(None, [a("offender_description", ""), _("Known to me: %(answer)s") % {"answer": known.get(a("offender_known", ""), "")}])), "offender"),
        Row(_("Injuries, damage or loss"), harm or none, "harm"),
        Row(_("Evidence"), "\n".join(evidence_names) or none, "evidence"),
        Row(_("Support needs"), support or none, "support"),
        Row(_("Contact"), contact, "contact"),
        Row(_("Sent to"), destination, "destination"),
        Row(_("What you agree to"), consent, "consent"),
    ]
