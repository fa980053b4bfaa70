"""The interpreter: a compiled state machine, its executions, the scheduler and virtual clock, the states.

It owns the task-integration interface (:mod:`.integration`): what a Task hands over and the outcomes it
can get back. It imports the language package and nothing above it: no integration, no CLI, no plugin.
"""
