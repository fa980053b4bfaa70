"""Tests of sfnlocal.language.jsonata.

Not named ``tests/jsonata``: with ``tests`` on ``sys.path`` (pytest's ``pythonpath``), a package of
that name would shadow the jsonata-python library for every ``import jsonata``.
"""
