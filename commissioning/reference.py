"""The Outcomes Framework domains and service areas a venture's focus is chosen from:
reference data read on every visit to a venture's Commissioning tab, kept in each
process until one of them next changes (``seir.refcache``, renewed by
``commissioning.apps`` on any save or deletion).

Only what is *shown and offered* comes from here; a submitted choice is still checked
against the database by the form's field."""

from __future__ import annotations

from dataclasses import dataclass

from seir import refcache

from .models import OutcomeDomain, ServiceArea

MODELS = (OutcomeDomain, ServiceArea)
CACHE_KEY = "commissioning:focus-reference"


@dataclass(frozen=True)
class FocusReference:
    """Every domain and every service area, active or retired, in their own order."""

    domains: tuple[OutcomeDomain, ...]
    service_areas: tuple[ServiceArea, ...]


def focus_reference() -> FocusReference:
    return refcache.cached(CACHE_KEY, _build, in_process=True)


def _build() -> FocusReference:
    return FocusReference(
        domains=tuple(OutcomeDomain.objects.all()),
        service_areas=tuple(ServiceArea.objects.all()),
    )
