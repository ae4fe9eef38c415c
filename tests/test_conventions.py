"""The layer rules of docs/architecture.md that can be checked by reading the code.

Each test walks every app of ours, so a selector or a view added later that breaks the
rule fails here.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Public selectors that may take positional arguments: "module.name" -> why. None today.
POSITIONAL_SELECTORS: dict[str, str] = {}

POSITIONAL = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.VAR_POSITIONAL,
)


def _our_apps():
    """The project's own apps: each a folder at the top of the checkout (a virtualenv
    inside the checkout, as CI makes one, holds other apps deeper down)."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT.resolve()
    ]


def _modules(layer: str) -> list[ModuleType]:
    """Every app's ``<app>.<layer>`` module, or each module of its ``<layer>/`` package."""
    found = []
    for config in _our_apps():
        name = f"{config.name}.{layer}"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found.append(module)
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__):
                found.append(importlib.import_module(f"{name}.{info.name}"))
    return found


def _public_functions(layer: str) -> dict[str, object]:
    """{"module.name": function} for each public function defined in the layer's modules
    (names imported from elsewhere are left to the module that defines them)."""
    return {
        f"{module.__name__}.{name}": value
        for module in _modules(layer)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and value.__module__ == module.__name__
    }


def test_the_walk_finds_every_apps_selectors():
    # given the selectors of a module and of a package (commissioning's)
    selectors = _public_functions("selectors")
    # then both are found, so the test below reads them all
    assert "ventures.selectors.venture_get" in selectors
    assert "commissioning.selectors.introductions.introduction_get" in selectors
    assert len({name.split(".")[0] for name in selectors}) == 15


def test_selectors_take_their_arguments_by_keyword():
    # given every public selector of every app
    selectors = _public_functions("selectors")
    # then none takes a positional argument (docs/architecture.md, "Layers")
    positional = {
        name: [
            p.name for p in inspect.signature(function).parameters.values() if p.kind in POSITIONAL
        ]
        for name, function in selectors.items()
        if name not in POSITIONAL_SELECTORS
    }
    assert {name: params for name, params in positional.items() if params} == {}


def test_no_view_is_named_like_a_service():
    # given every app's services and views
    services = {name.rsplit(".", 1)[1] for name in _public_functions("services")}
    views = _public_functions("views")
    # then each name means one thing: a view is named for its page, never for the
    # service it calls (docs/architecture.md, "Layers")
    assert "ventures.services.lifecycle.venture_move" in _public_functions("services")
    assert "scouting.views.meetings.meeting_new" in views
    assert sorted(name for name in views if name.rsplit(".", 1)[1] in services) == []


def test_the_readme_layout_lists_every_app():
    # given the README's "Layout" block
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Layout", 1)[1].split("```")[1]
    listed = {line.split("/", 1)[0] for line in block.splitlines() if "/ " in line[:20]}
    # then each app of ours is there
    assert "ventures" in listed
    assert sorted({config.name for config in _our_apps()} - listed) == []


def test_every_filter_set_builds_its_form_without_a_second_copy():
    import django_filters

    from seir.filtersets import FilterSet

    found = {
        f"{module.__name__}.{name}": value
        for module in _modules("filters")
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, django_filters.FilterSet)
        and value.__module__ == module.__name__
    }

    assert "ventures.filters.VentureFilter" in found
    assert sorted(name for name, cls in found.items() if not issubclass(cls, FilterSet)) == []
