from __future__ import annotations

from typing import Final

REQUEST_OPEN: Final = "subject_request.open"
MATCH_DECIDE: Final = "subject_request.match_decide"
BUNDLE_MAKE: Final = "subject_request.bundle"
REQUEST_CLOSE: Final = "subject_request.close"
REQUEST_EXTEND: Final = "subject_request.extend"
REQUESTS_DISPOSE: Final = "subject_request.dispose_closed"
