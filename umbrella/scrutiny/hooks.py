"""Plugs dip-sampling into the navigation and the board's measures."""

from __future__ import annotations


def register() -> None:
    from umbrella.core.extensions import NavEntry, register_board_measures, register_navigation
    from umbrella.scrutiny.policy import can_dip_sample
    from umbrella.scrutiny.selectors import board_measures

    register_navigation(NavEntry("Dip sampling", "/scrutiny/", allowed=can_dip_sample, order=76))
    register_board_measures("scrutiny", board_measures)

    from umbrella.core.extensions import DisposalTarget, register_disposal_target
    from umbrella.scrutiny.models import SampledCase

    register_disposal_target("scrutiny.sampled_cases", DisposalTarget(SampledCase, ("record_id",), ("comments", "response")))
