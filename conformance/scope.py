"""The core scope: the cases sfnlocal's first milestone must pass (``--scope core``).

The rule lives in :func:`is_core` alone. A case is in the core scope when every feature it uses is:

* query language JSONPath only: no ``query:JSONata*``, ``query:mixed``, ``jsonata*`` tags, no
  ``field:Assign`` and no ``variables*`` tags;
* no service other than Lambda: ``services`` empty, or only ``lambda:invoke`` and plain Lambda
  function ARNs (``arn:aws:lambda:...:function:...``);
* no distributed Map: no ``map:distributed``, ItemReader or ResultWriter;
* no callback, activity, EXPRESS machine, or ``.sync`` pattern.
"""

from __future__ import annotations

import re

from conformance.cases import Case

# Tags excluded exactly, and tag prefixes excluded (a prefix covers its refinements, e.g.
# "query:JSONata" covers "query:JSONata-top-level", "pattern:sync" covers "pattern:sync:2").
_EXCLUDED_TAGS = frozenset({
    "query:mixed", "field:Assign", "map:distributed", "map:ItemReader", "field:ItemReader",
    "map:ResultWriter", "field:ResultWriter", "callback", "pattern:waitForTaskToken",
})
_EXCLUDED_PREFIXES = ("query:JSONata", "jsonata", "variables", "activity", "pattern:activity",
                      "integration:activity", "express", "pattern:sync")
_LAMBDA_SERVICES = frozenset({"arn:aws:states:::lambda:invoke", "lambda:invoke"})
_LAMBDA_FUNCTION_ARN = re.compile(r"arn:[^:]+:lambda:[^:]*:[^:]*:function:.+")


def _core_tag(tag: str) -> bool:
    return tag not in _EXCLUDED_TAGS and not tag.startswith(_EXCLUDED_PREFIXES)


def _core_service(service: str) -> bool:
    return service in _LAMBDA_SERVICES or _LAMBDA_FUNCTION_ARN.fullmatch(service) is not None


def is_core(case: Case) -> bool:
    """Whether every feature of ``case`` is in the core scope (the rule in this module's docstring).

    >>> def case(features=(), services=()):
    ...     return Case("c", {}, {}, {"status": "SUCCEEDED"}, features=features, services=services)
    >>> is_core(case(("type:Pass", "query:JSONPath"), ("arn:aws:states:::lambda:invoke", "lambda:invoke")))
    True
    >>> is_core(case(("query:JSONata-top-level",))), is_core(case(services=("arn:aws:states:::sns:publish",)))
    (False, False)
    >>> is_core(case(services=("arn:aws:lambda:us-east-1:111111111111:function:<lambda_function_name>",)))
    True
    """
    return (all(_core_tag(tag) for tag in case.features)
            and all(_core_service(service) for service in case.services)
            and case.meta.get("state_machine_type") != "EXPRESS")
