"""Your application's own Lambda functions, run in-process as Lambda runs them (see docs/lambdas.md)."""
