"""JSONata for Step Functions: ``{% ... %}`` expressions and the templates that hold them, as AWS runs them.

>>> import random
>>> template = compile_template({"total": "{% $sum($states.input.prices) %}", "by": "{% $who %}", "n": 1}, "Output")
>>> template.evaluate(Bindings({"input": {"prices": [1, 2.5]}, "context": {}}, {"who": "me"}, 0.0, random.Random(0)))
{'total': 3.5, 'by': 'me', 'n': 1}

Behind this interface the engine is jsonata-python, with AWS's additions and fixes (see ``engine``);
it is imported only when a definition holds an expression.
"""

from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.expression import (
    Expression,
    JsonataSyntaxError,
    QueryEvaluationFailure,
    compile_expression,
    is_expression,
)
from sfnlocal.language.jsonata.outcome import UNDEFINED
from sfnlocal.language.jsonata.template import Template, compile_template

__all__ = [
    "UNDEFINED",
    "Bindings",
    "Expression",
    "JsonataSyntaxError",
    "QueryEvaluationFailure",
    "Template",
    "compile_expression",
    "compile_template",
    "is_expression",
]
