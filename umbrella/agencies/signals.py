"""What other apps may follow in this one: an organisation has been created.

Sent inside the creating transaction, so what a receiver writes (crypto: the organisation's data
key) is kept or rolled back with the organisation itself.
"""

from __future__ import annotations

from django.dispatch import Signal

# Arguments: organisation (the new Organisation), actor (who created it, or None).
organisation_created = Signal()
