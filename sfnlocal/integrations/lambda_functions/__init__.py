"""Your application's own Lambda functions, run in-process as Lambda runs them (see docs/lambdas.md)."""

from sfnlocal.integrations.lambda_functions.runtime import LambdaFunctions
from sfnlocal.integrations.lambda_functions.spec import LambdaFunction

__all__ = ["LambdaFunction", "LambdaFunctions"]
