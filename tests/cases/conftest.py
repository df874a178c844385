from __future__ import annotations

import pytest

from tests.factories import code


@pytest.fixture
def codes(db: None) -> None:
    """The few reference codes the record pages need, in case the seeded reference data is absent."""
    code("strand", "race", "Race", monitored=True)
    code("strand", "religion", "Religion or belief", monitored=True)
    code("strand", "sex", "Sex or gender (misogyny)", monitored=False)
    code("sub_category", "anti_muslim", "Anti-Muslim", parent_code="religion")
    code("sub_category", "antisemitic", "Antisemitic", parent_code="religion")
    code("sub_category", "anti_black", "Anti-Black", parent_code="race")
    code("perceiver", "victim", "Victim")
    code("perceiver", "witness", "Witness")
    code("borough", "E09000033", "Westminster", gss="E09000033")
    code("borough", "E09000007", "Camden", gss="E09000007")
    code("location_type", "street", "Street or public place")
    code("offence", "8M", "Harassment")
    code("ethnicity", "prefer_not_to_say", "Prefer not to say")
