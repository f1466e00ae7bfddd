"""S9: message bodies keep plain formatting and nothing executable, whatever the input."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portal_app.messaging.sanitize import sanitize_message, to_safe_html
from tests.messaging.helpers import assert_inert

PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>', '<p hx-get="/staff/x" hx-trigger="load">p</p>',
    '<em style="background:url(javascript:x)">e</em>', "<svg onload=alert(1)>", "<scr<script>ipt>", "<strong>",
    "</strong>", "<ol><li>", "</li></ol>", "<ul>", "<li>", "<", ">", '"', "'", "=", " on", "onclick=", "\n",
    "<p", "<!--", "-->", "<![CDATA[", "<iframe src=//x>", "&lt;script&gt;", "<math><mi xlink:href=x>",
])
TEXT = st.lists(st.one_of(st.text(max_size=20), PIECES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_sanitize_message_leaves_nothing_executable(text):
    cleaned = sanitize_message(text)
    assert_inert(cleaned)
    assert sanitize_message(cleaned) == cleaned  # core.append_message sanitizes again: it must not change


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_plain_text_is_escaped_into_paragraphs(text):
    assert_inert(to_safe_html(text, rich=False))


def test_allowed_formatting_survives():
    body = "<p><strong>Bold</strong> <em>it</em></p><ol><li>one</li></ol><ul><li>two</li></ul>"
    assert sanitize_message(body) == body


def test_short_formatting_tags_survive():
    body = "<p><b>bold</b> <i>italic</i><br>next line</p>"
    assert sanitize_message(body) == body


def test_plain_text_keeps_its_words_in_paragraphs():
    assert to_safe_html("Hello <b>\nthere\n\nAgain", rich=False) == "<p>Hello &lt;b&gt;<br>there</p><p>Again</p>"


def test_rich_bodies_are_sanitized_not_escaped():
    assert to_safe_html('<p onclick="x()"><b>hi</b><script>alert(1)</script></p>', rich=True) == "<p><b>hi</b></p>"
