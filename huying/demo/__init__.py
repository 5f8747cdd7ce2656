"""The demo deployment of 滨州市: every loop's demo data, built through the services by ``manage.py demo``.

The top layer: it may import every app, and no app imports it.
"""
