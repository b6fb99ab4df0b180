"""Small-count suppression: primary cells under the threshold, complementary cells so totals give nothing away."""

from coalition.core.suppression import suppress, suppress_count, suppress_row


def _hidden(table):
    return [[cell.suppressed for cell in row] for row in table.cells]


def test_counts_at_or_above_the_threshold_and_zeros_are_shown(app):
    result = suppress([[5, 0, 12]], 5, column_totals=False)

    assert _hidden(result) == [[False, False, False]]
    assert result.row_totals[0].text == "17"


def test_single_suppressed_cell_in_a_row_hides_the_next_smallest_too(app):
    cells, total = suppress_row([8, 1, 7, 20], 36, 5)

    assert [c.suppressed for c in cells] == [False, True, True, False]
    assert not total.suppressed
    assert cells[1].text == "fewer than 5"


def test_suppressed_cell_alone_in_its_row_hides_the_total(app):
    cells, total = suppress_row([3], 3, 5)

    assert cells[0].suppressed and total.suppressed


def test_two_suppressed_cells_need_no_complement(app):
    cells, _total = suppress_row([2, 3, 10], 15, 5)

    assert [c.suppressed for c in cells] == [True, True, False]


def test_complement_in_a_row_spreads_to_the_columns_it_touches(app):
    # Row 0 has one small cell (2): its complement is 6; column 1 then has one hidden cell (6) and needs one more.
    result = suppress([[2, 6, 9], [7, 8, 10]], 5)

    hidden = _hidden(result)
    assert hidden[0][0] and hidden[0][1]
    for line in (hidden[0], hidden[1], [r[0] for r in hidden], [r[1] for r in hidden], [r[2] for r in hidden]):
        assert sum(line) != 1
    assert not result.grand_total.suppressed


def test_no_published_total_lets_a_suppressed_cell_be_computed(app):
    table = [[1, 9, 12, 6], [10, 11, 3, 14], [20, 7, 8, 9]]
    result = suppress(table, 5)

    rows = [r + [t] for r, t in zip(result.cells, result.row_totals, strict=True)]
    rows.append(result.column_totals + [result.grand_total])
    lines = rows + [list(column) for column in zip(*rows, strict=True)]
    assert all(sum(c.suppressed for c in line) != 1 for line in lines)
    assert result.cells[0][0].suppressed and result.cells[1][2].suppressed


def test_threshold_of_one_hides_nothing(app):
    cells, total = suppress_row([1, 0, 2], 3, 1)

    assert not any(c.suppressed for c in cells) and not total.suppressed


def test_single_count_under_the_threshold_reads_fewer_than(app):
    assert suppress_count(3, 5).text == "fewer than 5"
    assert suppress_count(0, 5).text == "0"
    assert suppress_count(5, 5).text == "5"
