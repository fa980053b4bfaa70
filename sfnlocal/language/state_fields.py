"""Which fields each state type has, and what each field holds: declared once, read by the checks and the runtime.

Two tables. :data:`FIELDS` says, for every field name of the Amazon States Language, what it holds (a
path, a template, a number in a range, ...) and which query language has it: a name means the same thing
wherever it appears (``ResultPath`` in a state and in a catcher, ``TimeoutSeconds`` in a Task and on the
machine). :data:`STATE_TYPES` lists each state type's fields, says whether the type ends on its own (it
takes neither Next nor End) and whether it has a result of its own; the objects inside a definition (the
machine, a branch, a retrier, a catcher, a Distributed Map's ItemReader, ...) list theirs the same way.

Read by :mod:`sfnlocal.language.structure` (which fields an object may hold, which hold paths, the range
of each number, which query language a Map part's field belongs to) and by the state classes of
:mod:`sfnlocal.interpreter.states` (a field its type does not have is never read; the fields of the other
query language are refused; ``$states.result`` exists where the type has a result). What a field *means*
is read in one module each (docs/architecture.md, "Where an ASL field is read").

>>> STATE_TYPES["Wait"].only_in[JSONPATH]
('InputPath', 'OutputPath', 'SecondsPath', 'TimestampPath')
>>> FIELDS["Seconds"].kind, FIELDS["Seconds"].low, FIELDS["Seconds"].high
(<Kind.NUMBER: 'a number'>, 0, 99999999)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

JSONPATH = "JSONPath"
JSONATA = "JSONata"
QUERY_LANGUAGES = (JSONPATH, JSONATA)
# The values of the other enumerated fields: a state machine's (and a Distributed Map's) execution type, a
# Map's ProcessorConfig.Mode, a retrier's JitterStrategy (AWS accepts these two; the spec leaves it open).
STANDARD, EXPRESS = "STANDARD", "EXPRESS"
EXECUTION_TYPES = (STANDARD, EXPRESS)
INLINE, DISTRIBUTED = "INLINE", "DISTRIBUTED"
PROCESSOR_MODES = (INLINE, DISTRIBUTED)
JITTER_FULL, JITTER_NONE = "FULL", "NONE"
JITTER_STRATEGIES = (JITTER_FULL, JITTER_NONE)

MAX_SECONDS = 99_999_999  # the largest TimeoutSeconds, Wait Seconds, IntervalSeconds, MaxAttempts
MAX_RETRY_DELAY_SECONDS = 31_622_400  # AWS: MaxDelaySeconds "less than 31622401"
MAX_READER_ITEMS = 100_000_000  # AWS: ReaderConfig.MaxItems "Maximum value is 100000000"


class Kind(Enum):
    """What a field holds."""

    PATH = "a path"  # a string; its syntax is checked where it is compiled
    NULLABLE_PATH = "a path or null"  # null discards the input (InputPath, OutputPath) or the result (ResultPath)
    TEMPLATE = "a template"  # a payload template ('.$' keys) in JSONPath, '{% %}' expressions in JSONata
    NUMBER = "a number"  # from low to high; in a JSONata state a string is an expression, checked at run time
    STRING = "a string"
    TRANSITION = "a state name"
    OTHER = "a value of its own shape"  # End, Result, Retry, Choices, Branches, ...: checked by rules of their own


@dataclass(frozen=True, slots=True)
class AslField:
    """What one field holds, and the query language that has it (``None``: both)."""

    kind: Kind = Kind.OTHER
    language: str | None = None
    low: float | None = None  # a NUMBER's smallest value
    high: float | None = None  # a NUMBER's largest value (None: no upper bound)
    whole: bool = True  # a NUMBER that must be an integer
    # Evaluated after the state's work: JSONata's $states.result is there, in a state type with a result.
    after_result: bool = False


def _path(language: str | None = JSONPATH) -> AslField:
    return AslField(Kind.PATH, language)


def _number(low: float, high: float | None = None, whole: bool = True) -> AslField:
    return AslField(Kind.NUMBER, low=low, high=high, whole=whole)


_STRING = AslField(Kind.STRING)
_TRANSITION = AslField(Kind.TRANSITION)
_OTHER = AslField()

FIELDS: dict[str, AslField] = {
    # Every state, and the machine.
    "Type": _STRING,
    "Comment": _STRING,
    "QueryLanguage": _STRING,
    # What goes into a state's work and what comes out: JSONPath's fields, then JSONata's.
    "InputPath": AslField(Kind.NULLABLE_PATH, JSONPATH),
    "OutputPath": AslField(Kind.NULLABLE_PATH, JSONPATH),
    "Parameters": AslField(Kind.TEMPLATE, JSONPATH),
    "ResultSelector": AslField(Kind.TEMPLATE, JSONPATH),
    "ResultPath": AslField(Kind.NULLABLE_PATH, JSONPATH),
    "Arguments": AslField(Kind.TEMPLATE, JSONATA),
    "Output": AslField(Kind.TEMPLATE, JSONATA, after_result=True),
    # Where a state goes, what it remembers, how it handles errors.
    "Next": _TRANSITION,
    "End": _OTHER,
    "Assign": AslField(Kind.TEMPLATE, after_result=True),
    "Retry": _OTHER,
    "Catch": _OTHER,
    # Task
    "Resource": _STRING,
    "Credentials": _OTHER,
    "TimeoutSeconds": _number(1, MAX_SECONDS),
    "TimeoutSecondsPath": _path(),
    "HeartbeatSeconds": _number(1, MAX_SECONDS),
    "HeartbeatSecondsPath": _path(),
    # Wait
    "Seconds": _number(0, MAX_SECONDS),
    "SecondsPath": _path(),
    "Timestamp": _STRING,
    "TimestampPath": _path(),
    # Pass
    "Result": AslField(Kind.OTHER, JSONPATH),
    # Fail
    "Error": _STRING,
    "ErrorPath": _path(),
    "Cause": _STRING,
    "CausePath": _path(),
    # Choice
    "Choices": _OTHER,
    "Default": _TRANSITION,
    # Parallel
    "Branches": _OTHER,
    # Map
    "ItemProcessor": _OTHER,
    "Iterator": _OTHER,
    "ItemsPath": _path(),
    "Items": AslField(Kind.TEMPLATE, JSONATA),
    "ItemSelector": AslField(Kind.TEMPLATE),
    "ItemReader": _OTHER,
    "ItemBatcher": _OTHER,
    "ResultWriter": _OTHER,
    "Label": _STRING,
    "MaxConcurrency": _number(0),
    "MaxConcurrencyPath": _path(),
    "ToleratedFailureCount": _number(0),
    "ToleratedFailureCountPath": _path(),
    "ToleratedFailurePercentage": _number(0, 100, whole=False),
    "ToleratedFailurePercentagePath": _path(),
    # The machine, a Parallel branch, a Map's item processor.
    "StartAt": _TRANSITION,
    "States": _OTHER,
    "Version": _STRING,
    "ProcessorConfig": _OTHER,
    "Mode": _STRING,
    "ExecutionType": _STRING,
    # Retriers and catchers (besides Comment, Next, ResultPath, Assign and Output).
    "ErrorEquals": _OTHER,
    "IntervalSeconds": _number(1, MAX_SECONDS),
    "MaxAttempts": _number(0, MAX_SECONDS),
    "BackoffRate": _number(1.0, whole=False),
    "MaxDelaySeconds": _number(1, MAX_RETRY_DELAY_SECONDS),
    "JitterStrategy": _STRING,
    # A Distributed Map's ItemReader (and its ReaderConfig), ItemBatcher and ResultWriter (and its WriterConfig).
    "ReaderConfig": _OTHER,
    "InputType": _STRING,
    "CSVHeaderLocation": _STRING,
    "CSVHeaders": _OTHER,
    "CSVDelimiter": _STRING,
    "MaxItems": _number(0, MAX_READER_ITEMS),
    "MaxItemsPath": _path(),
    "ManifestType": _STRING,
    "Transformation": _STRING,
    "ItemsPointer": _STRING,
    "MaxItemsPerBatch": _number(0),
    "MaxItemsPerBatchPath": _path(),
    "MaxInputBytesPerBatch": _number(0),
    "MaxInputBytesPerBatchPath": _path(),
    "BatchInput": _OTHER,
    "WriterConfig": _OTHER,
    "OutputType": _STRING,
}


class Fields:
    """The fields one kind of object may hold (a state type, a retrier, an ItemReader, ...), in declared order.

    >>> RETRIER.numbers, sorted(CATCHER.paths)
    (('IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds'), ['ResultPath'])
    >>> Fields("Nope")
    Traceback (most recent call last):
    ...
    ValueError: 'Nope' is not a field of the Amazon States Language (sfnlocal.language.state_fields.FIELDS)
    """

    __slots__ = ("names", "allowed", "only_in", "numbers", "paths")

    def __init__(self, *names: str) -> None:
        for name in names:
            if name not in FIELDS:  # a misspelt name would silently make a field unknown everywhere
                raise ValueError(f"{name!r} is not a field of the Amazon States Language ({__name__}.FIELDS)")
        self.names = names
        self.allowed = frozenset(names)
        # In declared order: which one a state reports first, when it holds several of the other language.
        self.only_in = {
            language: tuple(name for name in names if FIELDS[name].language == language) for language in QUERY_LANGUAGES
        }
        self.numbers = tuple(name for name in names if FIELDS[name].kind is Kind.NUMBER)
        self.paths = frozenset(name for name in names if FIELDS[name].kind in (Kind.PATH, Kind.NULLABLE_PATH))

    def __repr__(self) -> str:
        return f"Fields{self.names!r}"


class StateType(Fields):
    """A state type's fields, whether it ends on its own, and whether it has a result of its own.

    ``ends_on_its_own`` is why the type takes neither Next nor End (None when it takes one of them).
    ``has_result``: the state's work gives a result (Task, Parallel, Map), which JSONata's
    ``$states.result`` shows in the ``result_fields``, those evaluated after the work (Output, Assign).

    >>> STATE_TYPES["Choice"].ends_on_its_own
    'a Choice state moves on through the Next of its Choices or its Default'
    >>> [name for name, state_type in STATE_TYPES.items() if state_type.has_result]
    ['Task', 'Parallel', 'Map']
    >>> sorted(STATE_TYPES["Task"].result_fields), sorted(STATE_TYPES["Pass"].result_fields)
    (['Assign', 'Output'], [])
    """

    __slots__ = ("name", "has_result", "ends_on_its_own", "result_fields")

    def __init__(self, name: str, *names: str, has_result: bool = False, ends_on_its_own: str | None = None) -> None:
        super().__init__(*names)
        self.name = name
        self.has_result = has_result
        self.ends_on_its_own = ends_on_its_own
        self.result_fields = frozenset(field for field in names if has_result and FIELDS[field].after_result)

    def __repr__(self) -> str:
        return f"<state type {self.name}: {', '.join(self.names)}>"


# Groups of fields several state types share. Within a state type, JSONPath's input and output fields
# come first (InputPath, OutputPath, Parameters, ResultSelector, ResultPath), then JSONata's (Arguments,
# Output): the order in which a state holding several fields of the other language names the first.
_COMMON = ("Type", "Comment", "QueryLanguage")
_IO = ("InputPath", "OutputPath")
_FLOW = ("Next", "End", "Assign")
_ERRORS = ("Retry", "Catch")

# The state types in the order AWS lists them; each with its fields in either query language (the spec's
# two tables of state types and fields, plus each type's own fields from the AWS page for that type).
STATE_TYPES: dict[str, StateType] = {
    state_type.name: state_type
    for state_type in (
        StateType(
            "Task",
            *_COMMON,
            *_IO,
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Arguments",
            "Output",
            "Resource",
            "Credentials",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            *_FLOW,
            *_ERRORS,
            has_result=True,
        ),
        StateType("Wait", *_COMMON, *_IO, "Output", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", *_FLOW),
        StateType("Pass", *_COMMON, *_IO, "Parameters", "ResultPath", "Output", "Result", *_FLOW),
        StateType(
            "Succeed",
            *_COMMON,
            *_IO,
            "Output",
            ends_on_its_own="a Succeed state always ends its execution, branch or iteration",
        ),
        # AWS: "The Fail state only allows the use of Type and Comment fields from the set of common
        # state fields"; the spec's JSONPath table agrees (no InputPath/OutputPath).
        StateType(
            "Fail",
            *_COMMON,
            "Error",
            "ErrorPath",
            "Cause",
            "CausePath",
            ends_on_its_own="a Fail state always ends its execution with an error",
        ),
        StateType(
            "Choice",
            *_COMMON,
            *_IO,
            "Output",
            "Choices",
            "Default",
            "Assign",
            ends_on_its_own="a Choice state moves on through the Next of its Choices or its Default",
        ),
        StateType(
            "Parallel",
            *_COMMON,
            *_IO,
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Arguments",
            "Output",
            "Branches",
            *_FLOW,
            *_ERRORS,
            has_result=True,
        ),
        StateType(
            "Map",
            *_COMMON,
            *_IO,
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Output",
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "Items",
            "ItemSelector",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "Label",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            *_FLOW,
            *_ERRORS,
            has_result=True,
        ),
    )
}

MACHINE = Fields("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage")
BRANCH = Fields("Comment", "StartAt", "States")  # a Parallel branch
PROCESSOR = Fields(*BRANCH.names, "ProcessorConfig")  # a Map's ItemProcessor (or the older Iterator)
PROCESSOR_CONFIG = Fields("Mode", "ExecutionType")
RETRIER = Fields(
    "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"
)
CATCHER = Fields("ErrorEquals", "Next", "ResultPath", "Comment", "Assign", "Output")

# The objects of a Distributed Map (AWS's Map page), each in its state's query language, and the
# configuration object two of them hold.
MAP_PARTS: dict[str, Fields] = {
    "ItemReader": Fields("Resource", "ReaderConfig", "Parameters", "Arguments"),
    "ItemBatcher": Fields(
        "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"
    ),
    "ResultWriter": Fields("Resource", "Parameters", "Arguments", "WriterConfig"),
}
PART_CONFIGS: dict[str, tuple[str, Fields]] = {
    "ItemReader": (
        "ReaderConfig",
        Fields(
            "InputType",
            "CSVHeaderLocation",
            "CSVHeaders",
            "CSVDelimiter",
            "MaxItems",
            "MaxItemsPath",
            "ManifestType",
            "Transformation",
            "ItemsPointer",
        ),
    ),
    "ResultWriter": ("WriterConfig", Fields("OutputType", "Transformation")),
}
