"""Infrastructure code read for tests: state machine definitions and the application's Lambda functions.

* :func:`load_template`: ``{logical id: definition}`` out of a SAM, CloudFormation, CDK (``cdk.out``) or
  Terraform-style template (:mod:`sfnlocal.templates.definitions`);
* :func:`functions_from_template`: ``{function name: LambdaFunction}`` out of a SAM, CloudFormation or CDK
  template, named as its definitions name them (:mod:`sfnlocal.templates.functions`);
* :func:`application_from_template`: the template's resources to create in the in-process AWS world and the
  deliveries its event sources declare (:mod:`sfnlocal.templates.resources`).

Both raise :class:`TemplateError` with a message naming the resource and what to do.
"""

from sfnlocal.templates.definitions import TemplateError, is_template, load_template
from sfnlocal.templates.functions import functions_from_template
from sfnlocal.templates.resources import Application, EventSource, Resource, application_from_template

__all__ = [
    "Application",
    "EventSource",
    "Resource",
    "TemplateError",
    "application_from_template",
    "functions_from_template",
    "is_template",
    "load_template",
]
