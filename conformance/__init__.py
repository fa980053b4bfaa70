"""The conformance runner: replays executions recorded against real AWS Step Functions and compares.

Run it with ``python -m conformance [PATH ...]``. Each case file holds a definition, an input, the
Task results AWS saw, and what AWS did (status, error, cause, output, history). The runner executes
the definition with sfnlocal, replaying the recorded Task results as mocks, normalises sfnlocal's
result the way the recording was normalised, and compares. With ``--serve``, only the Tasks sfnlocal
cannot serve offline are replayed; the others run through sfnlocal's own integrations against moto.

Modules, one concern each:

* :mod:`conformance.cases`: finding and loading case files;
* :mod:`conformance.scope`: which cases are in a scope (``--scope core``, ``--scope integrations``);
* :mod:`conformance.replay`: running one case with sfnlocal (mocks, moto setup calls);
* :mod:`conformance.serve`: running one case with sfnlocal serving its integrations (``--serve``);
* :mod:`conformance.bindings`: the input's placeholders for resources, bound to those the setup made;
* :mod:`conformance.answers`: answering callbacks and activities as the recording shows;
* :mod:`conformance.normalise`: placeholders, timestamps, names, payload strings;
* :mod:`conformance.compare`: placeholder-aware comparison of results and histories;
* :mod:`conformance.runner`: one case from file to verdict, never raising;
* :mod:`conformance.report`: the table by feature tag, the JSON record, pass rates;
* :mod:`conformance.cli`: the command line.
"""
