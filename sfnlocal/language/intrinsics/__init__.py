"""The ``States.*`` intrinsic functions of JSONPath states, as AWS runs them.

>>> from random import Random
>>> from sfnlocal.language.paths import Scope
>>> f = compile_intrinsic("States.Format('Hello, {}!', $.name)")
>>> f.evaluate(Scope({"name": "Arnav"}), Random(0))
'Hello, Arnav!'

See ``docs/intrinsics.md`` for the 18 functions.
"""

from sfnlocal.language.intrinsics.compiler import CompiledIntrinsic, compile_intrinsic, is_intrinsic
from sfnlocal.language.intrinsics.parser import IntrinsicSyntaxError

__all__ = ["CompiledIntrinsic", "IntrinsicSyntaxError", "compile_intrinsic", "is_intrinsic"]
