"""Infrastructure code read for tests: state machine definitions and the application's Lambda functions.

* :func:`load_template`: ``{logical id: definition}`` out of a SAM, CloudFormation, CDK (``cdk.out``) or
  Terraform-style template (:mod:`sfnlocal.templates.definitions`);
* :func:`functions_from_template`: ``{function name: LambdaFunction}`` out of a SAM, CloudFormation or CDK
  template, named as its definitions name them (:mod:`sfnlocal.templates.functions`).

Both raise :class:`TemplateError` with a message naming the resource and what to do.
"""

from sfnlocal.templates.definitions import TemplateError, is_template, load_template
from sfnlocal.templates.functions import functions_from_template

__all__ = ["TemplateError", "functions_from_template", "is_template", "load_template"]
