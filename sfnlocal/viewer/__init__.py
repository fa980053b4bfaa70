"""The execution viewer: one self-contained HTML page per execution (graph, runs, events, timeline).

A pure renderer over plain data (a definition and GetExecutionHistory-shaped events): it imports only the
language and the standard library, so that the interpreter, the CLI, the pytest plugin and the server all use it.

>>> from sfnlocal import StateMachine
>>> run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute({})
>>> page = render_page(run.to_view())
>>> page.startswith("<!DOCTYPE html>"), '<svg id="graph"' in page, "<script src" in page or 'rel="stylesheet"' in page
(True, True, False)
"""

from sfnlocal.viewer.document import execution_document
from sfnlocal.viewer.page import render_page

__all__ = ["execution_document", "render_page"]
