"""Built-in service integrations: what a Task calls when no mock answers for it.

Each integration is a function ``handle(call: ServiceCall) -> Outcome`` registered for a resource type
and action (see :mod:`sfnlocal.integrations.aws.registry`). AWS services that moto has are served
in-process against moto (:class:`sfnlocal.integrations.aws.world.AwsWorld`); the others need a mock.
"""
