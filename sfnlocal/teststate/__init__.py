"""AWS's TestState API, offline: run one state of a definition as TestState runs it.

:func:`test_state` takes the request as AWS takes it and returns the response as AWS returns it
(``status`` SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR, ``output``, ``error``, ``cause``,
``nextState``, ``inspectionData``), or raises :class:`TestStateError` with AWS's code and message where
AWS refuses the request. :func:`request_from_arguments` builds the request for
``StateMachine.test_state(state_name, **arguments)``.

The modules, in the order a request meets them: :mod:`.request` (decoding), :mod:`.checks` (AWS's
refusals; :mod:`.context`, :mod:`.mock_schema` with :mod:`.result_shape`, :mod:`.composite` hold the
rules for the context object, ``fieldValidationMode`` and Map/Parallel mocks), :mod:`.harness` (the run,
Retry and Catch), :mod:`.response` (the response and its ``inspectionData``).
"""

from sfnlocal.teststate.api import test_state
from sfnlocal.teststate.errors import TestStateError
from sfnlocal.teststate.request import request_from_arguments

__all__ = ["TestStateError", "request_from_arguments", "test_state"]
