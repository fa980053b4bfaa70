"""Workflow coverage: which states, transitions, Choice rules, retriers, catchers, Parallel branches and
Map processors of each state machine the executions of a test session exercised.

* :mod:`~sfnlocal.testing.coverage.model`: what can be covered in a state machine (its items);
* :mod:`~sfnlocal.testing.coverage.data`: counts per item, merged across executions and processes;
* :mod:`~sfnlocal.testing.coverage.collector`: state machines that record their executions;
* :mod:`~sfnlocal.testing.coverage.summary`: covered / total per category;
* reports: :mod:`~sfnlocal.testing.coverage.terminal`, :mod:`~sfnlocal.testing.coverage.jsonreport` and
  :mod:`~sfnlocal.testing.coverage.htmlreport`, whose graph :mod:`sfnlocal.viewer.layout` lays out (the execution
  page draws with it too) and :mod:`~sfnlocal.testing.coverage.svg` draws.

The pytest plugin (:mod:`sfnlocal.testing.plugin`) puts them together.
"""
