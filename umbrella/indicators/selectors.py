"""Reads of the bias indicator rules (reference data about words, not about people)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from umbrella.indicators.models import Rule, RuleSet, RuleSetStatus


def ruleset_list() -> QuerySet[RuleSet]:
    return RuleSet.objects.select_related("created_by", "activated_by").annotate(
        rule_count=Count("rules", filter=Q(rules__retired=False)),
    ).order_by("-number")


def ruleset_get(*, number: int) -> RuleSet | None:
    return RuleSet.objects.select_related("created_by", "activated_by", "based_on").filter(number=number).first()


def active_ruleset() -> RuleSet | None:
    return RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).first()


def draft_ruleset() -> RuleSet | None:
    return RuleSet.objects.filter(status=RuleSetStatus.DRAFT).first()


@dataclass(frozen=True)
class StrandRules:
    strand: str
    label: str
    rules: list[Rule]


def rules_by_strand(*, ruleset: RuleSet, include_retired: bool = False) -> list[StrandRules]:
    from umbrella.reference.selectors import current_codes

    labels = {row.code: row.label for row in current_codes(scheme="strand")}
    labels.setdefault("online", "Online context")
    rules = ruleset.rules.all() if include_retired else ruleset.rules.filter(retired=False)
    grouped: dict[str, list[Rule]] = {}
    for rule in rules.order_by("strand", "sub_category", "kind", "value"):
        grouped.setdefault(rule.strand, []).append(rule)
    return [StrandRules(strand, labels.get(strand, strand), items) for strand, items in grouped.items()]


def rule_get(*, ruleset: RuleSet, pk: int) -> Rule | None:
    return ruleset.rules.filter(pk=pk).first()
