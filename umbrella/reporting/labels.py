"""The reference data labels the public journey shows (strands, places, online platforms), so the
translation catalogues hold them: a victim reporting in Urdu reads the answers in Urdu too.

Labels come from the database (administrators may add or rename codes); ``public_label`` translates
a label the catalogue knows and shows any other as it is. Borough names are place names and stay
as they are.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# The seed labels (umbrella/reference/seed.py) of the schemes the journey offers.
PUBLIC_LABELS = (
    # Strands
    gettext_noop("Race or ethnicity"), gettext_noop("Religion or belief"), gettext_noop("Sexual orientation"),
    gettext_noop("Disability"), gettext_noop("Transgender identity"), gettext_noop("Sex or gender (misogyny)"),
    gettext_noop("Alternative subculture"), gettext_noop("Sex workers"), gettext_noop("Age"), gettext_noop("Other"),
    # Places
    gettext_noop("Home"), gettext_noop("Street"), gettext_noop("Shop"), gettext_noop("Public transport"),
    gettext_noop("Place of worship"), gettext_noop("School, college or university"), gettext_noop("Workplace"),
    gettext_noop("Pub, bar or restaurant"), gettext_noop("Park, beach or open space"), gettext_noop("Residential care"),
    gettext_noop("Council, police or health premises"), gettext_noop("Public sex environment"),
    gettext_noop("LGBT+ venue"), gettext_noop("Online"),
    # Online platforms
    gettext_noop("Social media"), gettext_noop("Messaging app"), gettext_noop("Online gaming"), gettext_noop("Email"),
    gettext_noop("Text message"), gettext_noop("Dating app"), gettext_noop("Website or forum"),
)


def public_label(label: str) -> str:
    """The label in the page's language where the catalogue has it; otherwise as stored."""
    return gettext(label) if label else label
