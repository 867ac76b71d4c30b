"""The visitor counter's HTTP service: an ASGI app under uvicorn that counts page views and
visits into SQLite or Redis and answers the widget's figures.

It is not a Pelican plugin and never imports Pelican: the site build (plugins/hitcount) writes
the manifest of countable pages, which this service reads. Run it with `hitcount-service`.
"""
