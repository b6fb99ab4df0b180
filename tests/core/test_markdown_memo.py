"""Rendered Markdown is remembered by text: a list shown again does not parse its texts again, and what is
remembered is the sanitised HTML, the same as a fresh rendering."""

from markupsafe import Markup

from coalition.core.text import _rendered, render_markdown

HOSTILE = "**Mould** in the <script>alert(1)</script> [flat](javascript:alert(1))\n\n# A heading"


def test_the_same_text_renders_the_same_sanitised_html_twice():
    _rendered.cache_clear()
    first = render_markdown(HOSTILE)
    second = render_markdown(HOSTILE)

    assert isinstance(second, Markup) and second == first
    assert "<strong>Mould</strong>" in second and "<h3>A heading</h3>" in second
    assert "<script" not in str(second) and "href" not in str(second)
    assert _rendered.cache_info().hits == 1


def test_an_empty_text_renders_nothing():
    assert render_markdown("") == Markup("") and render_markdown(None) == Markup("")
