"""The conformance runner: replays executions recorded against real AWS Step Functions and compares.

Run it with ``python -m conformance [PATH ...]``. Each case file holds a definition, an input, the
Task results AWS saw, and what AWS did (status, error, cause, output, history). The runner executes
the definition with sfnlocal, replaying the recorded Task results as mocks, normalises sfnlocal's
result the way the recording was normalised, and compares.

Modules, one concern each:

* :mod:`conformance.cases`: finding and loading case files;
* :mod:`conformance.scope`: which cases are in the core scope (``--scope core``);
* :mod:`conformance.replay`: running one case with sfnlocal (mocks, moto setup calls);
* :mod:`conformance.normalise`: placeholders, timestamps, names, payload strings;
* :mod:`conformance.compare`: placeholder-aware comparison of results and histories;
* :mod:`conformance.runner`: one case from file to verdict, never raising;
* :mod:`conformance.report`: the table by feature tag, the JSON record, pass rates;
* :mod:`conformance.cli`: the command line.
"""
