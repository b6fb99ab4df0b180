"""The five counts, with the textbook instant-runoff example."""

from coalition.decisions.counting import count_poll, count_proposal, count_score, count_time_poll, instant_runoff


def test_instant_runoff_where_nobody_wins_the_first_round():
    # A, B, C = 1, 2, 3. First preferences: A 2, B 2, C 1 -> C eliminated, its ballot goes to B -> B wins 3 of 5.
    ballots = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 2, 1]]
    result = instant_runoff([1, 2, 3], ballots)
    assert [r["counts"] for r in result["rounds"]] == [{"1": 2, "2": 2, "3": 1}, {"1": 2, "2": 3}]
    assert result["rounds"][0]["eliminated"] == 3
    assert result["winner"] == 2


def test_instant_runoff_tie_for_last_eliminates_fewer_first_preferences_then_the_last_listed():
    # Round 1: A 2, B 1, C 1 (tie B/C, equal first preferences) -> C (listed last) goes; its ballot -> A wins.
    result = instant_runoff([1, 2, 3], [[1], [1], [2], [3, 1]])
    assert result["rounds"][0]["eliminated"] == 3
    assert result["winner"] == 1


def test_instant_runoff_counts_exhausted_ballots():
    result = instant_runoff([1, 2, 3], [[1], [1], [2], [2], [3]])
    assert result["rounds"][1]["exhausted"] == 1


def test_proposal_names_blocks_first_with_their_reasons():
    result = count_proposal(
        [{"position": "agree"}, {"position": "block"}],
        [({"position": "agree"}, "", "Ana"), ({"position": "block"}, "Unsafe", "Ben")],
    )
    assert result["counts"] == {"agree": 1, "abstain": 0, "disagree": 0, "block": 1}
    assert result["blocks"] == [{"name": "Ben", "reason": "Unsafe"}]


def test_poll_counts_each_chosen_option():
    assert count_poll([1, 2], [{"options": [1, 2]}, {"options": [1]}])["counts"] == {"1": 2, "2": 1}


def test_score_gives_average_and_spread():
    stats = count_score([1], [{"scores": {"1": 1}}, {"scores": {"1": 5}}])["scores"]["1"]
    assert (stats["average"], stats["spread"], stats["lowest"], stats["highest"]) == (3, 2, 1, 5)


def test_time_poll_counts_needs_of_those_who_can_come():
    result = count_time_poll(
        [1],
        [
            {
                "times": {"1": "yes"},
                "needs": {"interpretation_language": "Spanish", "children": 2, "access_needs": "ramp"},
            },
            {"times": {"1": "no"}, "needs": {"interpretation_language": "Spanish", "children": 3}},
        ],
    )["times"]["1"]
    assert (result["yes"], result["no"], result["interpretation"], result["children"], result["access_needs"]) == (
        1,
        1,
        {"Spanish": 1},
        2,
        1,
    )
