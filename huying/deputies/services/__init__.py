"""Writes of the deputies' loops; pages, the API and the demo call these. Keyword-only, one transaction
each, status changes through the state tables in ``states.py`` and a compare-and-set on ``version``."""
