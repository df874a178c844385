"""People's requests about their data: the organisation's supervisors, partner managers and
administrators (here the force's supervisor and administrator); every other role is told its role
does not handle them (403). Another organisation's request is not found
(tests/subject_access/test_views.py)."""

from __future__ import annotations

from tests.matrix.expectations import ACCEPTED, FORBIDDEN, NOT_ALLOWED, OK, Expect, every, only

HANDLERS = ("supervisor", "org_admin")


def a_force_request(m: object) -> dict[str, int]:
    from umbrella.cases.models import Person
    from umbrella.subject_access.models import SubjectMatch, SubjectRequest

    world = m.world  # type: ignore[attr-defined]
    request = SubjectRequest.objects.filter(organisation=world.force).first()
    if request is None:
        request = SubjectRequest.objects.create(organisation=world.force, kind="access", received_on="2026-01-05",
                                                due_on="2026-02-05", created_by=world.supervisor)
    person = Person.objects.filter(organisation=world.force).first() or Person.objects.create(organisation=world.force)
    match, _ = SubjectMatch.objects.get_or_create(request=request, person=person, defaults={"how": "contact"})
    return {"request_id": request.pk, "match_id": match.pk}


def the_request(m: object) -> dict[str, int]:
    return {"request_id": a_force_request(m)["request_id"]}


EXPECTATIONS = {
    "subject_access:requests": {"": Expect(get=only(HANDLERS, OK, others=FORBIDDEN))},
    "subject_access:new": {"": Expect(get=only(HANDLERS, OK, others=FORBIDDEN),
                                      write=only(HANDLERS, ACCEPTED, others=FORBIDDEN))},
    "subject_access:request": {"": Expect(get=only(HANDLERS, OK, others=FORBIDDEN),
                                          write=only(HANDLERS, ACCEPTED, others=FORBIDDEN), kwargs=the_request)},
    "subject_access:match": {"": Expect(get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                                        write=only(HANDLERS, ACCEPTED, others=FORBIDDEN), kwargs=a_force_request)},
    # Refused with a message (a request past its first month, or extended already) or extended: a redirect either way.
    "subject_access:extend": {"": Expect(get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                                         write=only(HANDLERS, ACCEPTED, others=FORBIDDEN), kwargs=the_request)},
    "subject_access:bundle-pdf": {"": Expect(get=only(HANDLERS, OK, others=FORBIDDEN), kwargs=the_request)},
    "subject_access:bundle-json": {"": Expect(get=only(HANDLERS, OK, others=FORBIDDEN), kwargs=the_request)},
}
