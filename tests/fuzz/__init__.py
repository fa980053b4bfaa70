"""A Hypothesis fuzz test of sfnlocal's whole public surface (see README.md beside this file).

``cases.cases(excluded)`` draws a definition, an input, mocks, execution options and a TestState request;
``harness.run_case`` runs it through ``validate``, ``StateMachine.from_dict``, ``execute`` (twice), result
rendering and TestState under a wall-clock bound, and returns what went wrong. ``tests/test_fuzz.py`` is
the CI profile; ``python -m tests.fuzz`` is the long runner.
"""
