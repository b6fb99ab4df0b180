"""Summaries of the answers to number questions: count, minimum, median, mean and maximum."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal


@dataclass
class NumberSummary:
    count: int
    minimum: Decimal
    median: Decimal
    mean: Decimal
    maximum: Decimal


def rounded(number: Decimal) -> Decimal:
    """Round to two decimals and drop trailing zeros (12.50 -> 12.5, 3.00 -> 3)."""
    value = number.quantize(Decimal("0.01")).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def summarise_numbers(values: list[Decimal]) -> NumberSummary | None:
    """Count, minimum, median, mean and maximum of a list of numbers (None when empty)."""
    return summarise_counts(Counter(values))


def summarise_counts(counts: Counter) -> NumberSummary | None:
    """The summary of numbers given as {number: how many times} (None when there are none)."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())
    return NumberSummary(
        count=total,
        minimum=rounded(ordered[0][0]),
        median=rounded((_nth(ordered, (total - 1) // 2) + _nth(ordered, total // 2)) / 2),
        mean=rounded(sum(number * n for number, n in ordered) / total),
        maximum=rounded(ordered[-1][0]),
    )


def _nth(ordered: list[tuple[Decimal, int]], index: int) -> Decimal:
    """The number at `index` (from 0) of the sorted numbers that `ordered` ((number, times), ascending) stands for."""
    for number, times in ordered:
        if index < times:
            return number
        index -= times
    raise IndexError(index)
