"""Built-in service integrations: what serves a Task that no mock, mock file or custom integration answers.

Each service is a function ``handle(call: ServiceCall) -> Outcome`` (the outcome types of
:mod:`sfnlocal.interpreter.integration`) registered for a resource type and action (see
:mod:`sfnlocal.integrations.aws.registry`); :class:`~sfnlocal.integrations.aws.services.AwsServices` is the
one integration that dispatches to them. AWS services that moto has are served in-process against moto
(:class:`sfnlocal.integrations.aws.world.AwsWorld`); Step Functions' own integrations (child executions,
task-token answers) go to the running execution; the others need a mock.
"""
