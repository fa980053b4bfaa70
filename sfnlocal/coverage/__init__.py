"""Workflow coverage: which states, transitions, Choice rules, retriers, catchers, Parallel branches and
Map processors of each state machine the executions of a test session exercised.

* :mod:`~sfnlocal.coverage.model`: what can be covered in a state machine (its items);
* :mod:`~sfnlocal.coverage.data`: counts per item, merged across executions and processes;
* :mod:`~sfnlocal.coverage.collector`: state machines that record their executions;
* :mod:`~sfnlocal.coverage.summary`: covered / total per category;
* reports: :mod:`~sfnlocal.coverage.terminal`, :mod:`~sfnlocal.coverage.jsonreport` and
  :mod:`~sfnlocal.coverage.htmlreport`, whose graph :mod:`~sfnlocal.coverage.layout` lays out and
  :mod:`~sfnlocal.coverage.svg` draws.

The pytest plugin (:mod:`sfnlocal.pytest_plugin`) puts them together.
"""
