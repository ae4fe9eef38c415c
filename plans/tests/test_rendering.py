"""Plan text is Markdown rendered sanitised (markdown + nh3)."""

import pytest
from django.urls import reverse

from plans import factories
from plans.rendering import render_markdown


def test_markdown_renders():
    html = render_markdown("## Money\n\n**Year 1**: *£40k*\n\n- grants\n- contracts")
    assert html == (
        "<h2>Money</h2>\n<p><strong>Year 1</strong>: <em>£40k</em></p>\n"
        "<ul>\n<li>grants</li>\n<li>contracts</li>\n</ul>"
    )


def test_script_tags_are_removed_with_their_content():
    html = render_markdown(
        "Hello <script>alert('x')</script> world\n\n<script src=//evil.example/x.js></script>"
    )
    assert "<script" not in html
    assert "alert" not in html
    assert "evil.example" not in html
    assert html == "<p>Hello  world</p>"


@pytest.mark.parametrize(
    "text",
    [
        '<a href="https://ok.example" onclick="steal()">ok</a>',
        '<p onmouseover="steal()">ok</p>',
        '<img src="x" onerror="steal()">ok',
        'ok<svg onload="steal()"><text>x</text></svg>',
        '<div style="background:url(javascript:steal())" onfocus="steal()">ok</div>',
    ],
)
def test_event_handler_attributes_are_stripped(text):
    html = render_markdown(text)
    assert "steal" not in html
    assert " on" not in html.replace("noopener", "")
    assert "ok" in html


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="  javascript:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
        '<a href="vbscript:msgbox(1)">click</a>',
    ],
)
def test_unsafe_link_schemes_are_stripped(text):
    html = render_markdown(text)
    assert "javascript" not in html.lower()
    assert "data:" not in html
    assert "vbscript" not in html
    assert html == '<p><a rel="noopener nofollow">click</a></p>'


def test_safe_links_get_rel_noopener_nofollow():
    html = render_markdown("[NHS](https://www.nhs.uk) and <mailto:hello@saheli.example>")
    assert '<a href="https://www.nhs.uk" rel="noopener nofollow">NHS</a>' in html
    assert 'rel="noopener nofollow"' in html.split("and", 1)[1]


def test_images_iframes_and_forms_are_not_allowed():
    html = render_markdown(
        '![x](https://tracker.example/p.png) <iframe src="https://x.example"></iframe>'
        '<form action="/x"><input name="a"></form><style>body{}</style>'
    )
    for tag in ("<img", "<iframe", "<form", "<input", "<style"):
        assert tag not in html


@pytest.mark.django_db
def test_pages_show_the_text_sanitised(client, venture, entrepreneur, seir):
    factories.write(
        entrepreneur,
        venture,
        {
            "services": 'Skiing <script>alert("x")</script> <b onclick="x()">fun</b> [a](javascript:x())'
        },
    )
    version = factories.submit(entrepreneur, venture)
    factories.review(seir, version, {"services": "<img src=x onerror=alert(2)>Nice"})
    client.force_login(entrepreneur)
    for url in (
        reverse("plans:plan", args=[venture.pk]),
        reverse("plans:version", args=[venture.pk, 1]),
        reverse("plans:print", args=[venture.pk, 1]),
    ):
        html = client.get(url).content.decode()
        assert 'alert("x")' not in html, url
        assert "onclick" not in html, url
        assert "onerror" not in html, url
        assert "javascript:" not in html, url
        assert "<b>fun</b>" in html, url
