"""The layout of a state machine's graph, for the coverage report's drawing.

The layout lives in :mod:`sfnlocal.viewer.layout` (the execution page draws with it too); this module
keeps the names the coverage report and its tests import.

>>> from sfnlocal.language.state_graph import StateGraph
>>> [node.key for node in layout_branch(StateGraph({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}).root).nodes]
['\\x00start', 'A', '\\x00end']
"""

from sfnlocal.viewer.layout import END, START, BranchLayout, Node, Placed, Point, Route, layout_branch

__all__ = ["END", "START", "BranchLayout", "Node", "Placed", "Point", "Route", "layout_branch"]
