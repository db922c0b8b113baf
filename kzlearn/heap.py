"""The worker's long-lived objects kept out of the garbage collector's full collections.

A Django process holds about 140,000-150,000 objects once the app and its URLconf are loaded
(modules, settings, URL patterns, model and admin classes); they live as long as the process.
CPython's full (generation 2) collection walks every one of them each time, and one runs every few
requests that build many objects (a teacher page of a class of 300): on the M district 165-470 ms at
load 8-12 in the middle of whichever request set it off, the p95 outliers of the teacher paths
(issue 25); 25 ms once frozen.
`freeze()` collects once and moves what is left to the permanent generation (gc.freeze, as
CPython's documentation advises for pre-fork servers): later collections walk only the objects made
after it. Called by kzlearn/wsgi.py once the app is loaded; bench/scale.py does the same before
timing paths, so its process measures as a worker serves."""

from __future__ import annotations

import gc


def freeze() -> int:
    """Collect, then freeze every object still alive; returns how many are frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf (views, admin) before the freeze
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
