"""The public report journey: open to everyone, signed in or not; nobody's records are on it.

Journey pages with no draft in the browser send the visitor to the start page (a redirect), so
every persona gets the same answer. Writes get through to the journey's forms for everyone.
"""

from __future__ import annotations

from tests.matrix.expectations import ACCEPTED, OK, Expect, every
from tests.matrix.outcomes import Outcome

REDIRECT = Outcome.REDIRECT

EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "reporting:start": {"": Expect(get=every(OK, anonymous=OK), write=every(ACCEPTED, anonymous=ACCEPTED))},
    "reporting:resume": {"": Expect(get=every(OK, anonymous=OK), write=every(ACCEPTED, anonymous=ACCEPTED))},
    "reporting:exit": {"": Expect(get=every(REDIRECT, anonymous=REDIRECT))},
    "reporting:saved": {"": Expect(get=every(REDIRECT, anonymous=REDIRECT))},
    "reporting:step": {
        "first step": Expect(
            get=every(REDIRECT, anonymous=REDIRECT),
            write=every(ACCEPTED, anonymous=ACCEPTED),
            kwargs=lambda _: {"slug": "who"},
        ),
    },
    "reporting:check": {"": Expect(get=every(REDIRECT, anonymous=REDIRECT), write=every(ACCEPTED, anonymous=ACCEPTED))},
    "reporting:done": {"": Expect(get=every(REDIRECT, anonymous=REDIRECT))},
    "reporting:progress": {"": Expect(get=every(OK, anonymous=OK), write=every(ACCEPTED, anonymous=ACCEPTED))},
    "reporting:set_language": {
        "": Expect(get=every(REDIRECT, anonymous=REDIRECT), write=every(ACCEPTED, anonymous=ACCEPTED))
    },
}
