"""The sites framework: one ``Site`` row per domain a project serves.

``Site.objects.get_current()`` picks the site from ``SITE_ID`` or, without
it, from the request's host; ``get_current_site(request)`` falls back to a
``RequestSite`` when the app is not installed.
"""
