"""seir.links: a route's URL worked out once, always what reverse() gives."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from seir.links import link, url_for_each


def _view(request, *args, **kwargs):  # pragma: no cover - never called
    raise AssertionError


urlpatterns = [
    path("things/<int:pk>/", _view, name="thing"),
    path("things/<int:pk>/parts/<int:part>/", _view, name="part"),
    path("code/<str:code>/", _view, name="code"),
    # A route that writes its own digits beside the argument.
    path("2147483647/<int:pk>/", _view, name="marked"),
]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("ventures:detail", (1,)),
        ("ventures:detail", (0,)),
        ("ventures:detail", (987654321012,)),
        ("ventures:gate_confirm", (5, 7)),
        ("ventures:revert", (12, 3)),
        ("checklists:item", (44,)),
        ("home", ()),
    ],
)
def test_link_is_what_reverse_gives(name, args):
    assert link(name, *args) == reverse(name, args=args)
    # and again, from the kept format
    assert link(name, *args) == reverse(name, args=args)


def test_each_argument_lands_in_its_own_place():
    assert link("ventures:gate_confirm", 5, 7) == "/ventures/5/gate/7/"
    assert link("ventures:gate_confirm", 7, 5) == "/ventures/7/gate/5/"


@override_settings(ROOT_URLCONF=__name__)
def test_a_route_of_other_arguments_is_reversed_each_time():
    assert link("code", "a b") == reverse("code", args=["a b"]) == "/code/a%20b/"
    assert link("code", 12) == "/code/12/"
    # a negative number or a bool is not a primary key: reverse() decides, as before
    with pytest.raises(NoReverseMatch):
        link("thing", -1)
    with pytest.raises(NoReverseMatch):
        link("thing", "x")
    with pytest.raises(NoReverseMatch):  # not written as "1"
        link("thing", True)


@override_settings(ROOT_URLCONF=__name__)
def test_a_route_writing_the_stand_in_itself_is_reversed_each_time():
    assert link("marked", 3) == "/2147483647/3/"
    assert link("part", 2147483646, 2147483647) == "/things/2147483646/parts/2147483647/"


@override_settings(ROOT_URLCONF=__name__)
def test_the_urlconf_is_part_of_the_key():
    assert link("thing", 4) == "/things/4/"
    with pytest.raises(NoReverseMatch):
        link("ventures:detail", 4)


def test_the_script_prefix_is_part_of_the_key():
    assert link("ventures:detail", 8) == "/ventures/8/"
    set_script_prefix("/seir/")
    try:
        assert link("ventures:detail", 8) == "/seir/ventures/8/"
    finally:
        clear_script_prefix()
    assert link("ventures:detail", 8) == "/ventures/8/"


def test_url_for_each():
    detail = url_for_each("ventures:detail")
    assert [detail(pk) for pk in (1, 22, 333)] == [
        reverse("ventures:detail", args=[pk]) for pk in (1, 22, 333)
    ]
    with pytest.raises(NoReverseMatch):
        detail(-1)


@override_settings(ROOT_URLCONF=__name__)
def test_a_route_of_codes_or_of_none_is_reversed_once_per_code_and_kept(monkeypatch):
    import seir.links

    calls = []

    def counted(name, args=None, **kwargs):
        calls.append((name, tuple(args or ())))
        return reverse(name, args=args, **kwargs)

    monkeypatch.setattr(seir.links, "reverse", counted)
    assert [link("code", c) for c in ("funnel_counting", "stage", "funnel_counting")] == [
        reverse("code", args=[c]) for c in ("funnel_counting", "stage", "funnel_counting")
    ]
    assert calls == [("code", ("funnel_counting",)), ("code", ("stage",))]
    # text that is not a short lower-case code is reversed each time, quoted as reverse()
    assert link("code", "A b") == link("code", "A b") == "/code/A%20b/"
    assert calls[2:] == [("code", ("A b",)), ("code", ("A b",))]
    # a code a route refuses raises each time and is never kept
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            link("thing", "stage")
    set_script_prefix("/seir/")
    try:
        assert link("code", "stage") == "/seir/code/stage/"
    finally:
        clear_script_prefix()


def test_a_route_of_no_arguments_follows_the_urlconf_and_the_prefix():
    assert link("ventures:list") == reverse("ventures:list") == "/ventures/"
    set_script_prefix("/seir/")
    try:
        assert link("ventures:list") == "/seir/ventures/"
    finally:
        clear_script_prefix()
    with override_settings(ROOT_URLCONF=__name__), pytest.raises(NoReverseMatch):
        link("ventures:list")
