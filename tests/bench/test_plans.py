"""`make bench-plans` (bench/plans.py): which plans count as far slower than planning a statement for its values."""

import pytest

from bench.plans import much_slower


@pytest.mark.parametrize(
    ("plan_ms", "custom_ms", "flagged"),
    [
        (20.8, 1.2, True),  # the evidence report's quotes with a generic plan, at scale 1
        (0.9, 0.45, True),  # "my next meetings": twice as long, half a millisecond more
        (0.2, 0.1, False),  # twice as long, but a tenth of a millisecond is the machine's noise
        (1.3, 1.0, False),  # a third longer
        (0.1, 0.6, False),  # faster: no planning on every run
    ],
)
def test_a_plan_is_flagged_only_when_far_slower_than_one_made_for_its_values(plan_ms, custom_ms, flagged):
    assert much_slower(plan_ms, custom_ms) is flagged
