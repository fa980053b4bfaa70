"""State machine definitions from infrastructure code: SAM, CloudFormation, CDK output, Terraform templates.

:func:`load_template` reads a file and returns ``{logical id: definition}``:

* a SAM or CloudFormation template (YAML, short-form tags such as ``!Sub`` and ``!GetAtt`` included, or
  JSON) with ``AWS::Serverless::StateMachine`` resources (``Definition``, ``DefinitionUri`` naming a local
  file) or ``AWS::StepFunctions::StateMachine`` resources (``Definition``, ``DefinitionString``, also built
  with ``Fn::Sub`` or ``Fn::Join``, ``DefinitionS3Location`` whose ``Key`` is a file next to the template);
  a CDK ``cdk.out/*.template.json`` is such a template;
* any other file is a definition with Terraform ``templatefile`` placeholders (``${name}``; ``$${`` is a
  literal ``${``), filled from ``substitutions``; its logical id is the file name without ``.asl.json``.

CloudFormation resolves intrinsic functions before Step Functions sees the definition, and Step Functions
then replaces each ``${key}`` of ``DefinitionSubstitutions``. Here, so that a definition can be tested
before it is deployed, what only a deployment knows becomes a clear placeholder: the region
``us-east-1``, the account ``123456789012``, and for a resource its ARN or name built from its name
property or logical id (``!GetAtt ProcessOrder.Arn`` is
``arn:aws:lambda:us-east-1:123456789012:function:ProcessOrder``); a parameter without a default is
``<ParameterName>``. ``substitutions`` overrides any of them by name: a parameter, a pseudo parameter
(``AWS::Region``), a ``DefinitionSubstitutions`` key, or a placeholder.

Reading is bounded: a definition file is read only from the template's folder tree (unless
``allow_outside_folder=True``), no error shows what a file holds, YAML is read with the loader's alias bounds,
and an intrinsic function whose arguments do not fit it is a :class:`TemplateError` naming the resource and
the function (``Fn::Select`` out of range, a missing ``Fn::FindInMap`` key, a Condition that refers to itself).

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "template.yaml").write_text('''
... Resources:
...   Orders:
...     Type: AWS::Serverless::StateMachine
...     Properties:
...       Definition:
...         StartAt: Charge
...         States:
...           Charge: {Type: Task, Resource: "${ChargeArn}", End: true}
...       DefinitionSubstitutions:
...         ChargeArn: !GetAtt ChargeFunction.Arn
...   ChargeFunction:
...     Type: AWS::Serverless::Function
... ''')
>>> load_template(folder / "template.yaml")["Orders"]["States"]["Charge"]["Resource"]
'arn:aws:lambda:us-east-1:123456789012:function:ChargeFunction'
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from sfnlocal.language.definition_limits import nesting_problem
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.loader import UnsafeYaml, bounded_yaml_loader, parse_text, read_text

SERVERLESS_STATE_MACHINE = "AWS::Serverless::StateMachine"
STEP_FUNCTIONS_STATE_MACHINE = "AWS::StepFunctions::StateMachine"
STATE_MACHINE_TYPES = (SERVERLESS_STATE_MACHINE, STEP_FUNCTIONS_STATE_MACHINE)
REGION, ACCOUNT = "us-east-1", "123456789012"
PSEUDO_PARAMETERS: dict[str, Any] = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "sfnlocal-stack",
    "AWS::NotificationARNs": [],
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/sfnlocal-stack/sfnlocal",
}
_NO_VALUE: Any = type("NoValue", (), {"__repr__": lambda self: "AWS::NoValue"})()
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
# A resource's placeholder ARN, by type: {n} is its name; Ref gives the ARN for the types listed in _REF_IS_ARN.
_ARNS = {
    "AWS::Lambda::Function": "arn:aws:lambda:{r}:{a}:function:{n}",
    "AWS::Serverless::Function": "arn:aws:lambda:{r}:{a}:function:{n}",
    "AWS::SQS::Queue": "arn:aws:sqs:{r}:{a}:{n}",
    "AWS::SNS::Topic": "arn:aws:sns:{r}:{a}:{n}",
    "AWS::DynamoDB::Table": "arn:aws:dynamodb:{r}:{a}:table/{n}",
    "AWS::Serverless::SimpleTable": "arn:aws:dynamodb:{r}:{a}:table/{n}",
    "AWS::S3::Bucket": "arn:aws:s3:::{n}",
    "AWS::StepFunctions::StateMachine": "arn:aws:states:{r}:{a}:stateMachine:{n}",
    "AWS::Serverless::StateMachine": "arn:aws:states:{r}:{a}:stateMachine:{n}",
    "AWS::StepFunctions::Activity": "arn:aws:states:{r}:{a}:activity:{n}",
    "AWS::Events::EventBus": "arn:aws:events:{r}:{a}:event-bus/{n}",
    "AWS::IAM::Role": "arn:aws:iam::{a}:role/{n}",
    "AWS::ECS::Cluster": "arn:aws:ecs:{r}:{a}:cluster/{n}",
    "AWS::ECS::TaskDefinition": "arn:aws:ecs:{r}:{a}:task-definition/{n}:1",
    "AWS::Batch::JobQueue": "arn:aws:batch:{r}:{a}:job-queue/{n}",
    "AWS::Batch::JobDefinition": "arn:aws:batch:{r}:{a}:job-definition/{n}:1",
}
_REF_IS_ARN = (
    "AWS::SNS::Topic",
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
    "AWS::StepFunctions::Activity",
    "AWS::ECS::TaskDefinition",
    "AWS::Batch::JobQueue",
    "AWS::Batch::JobDefinition",
)
_FIFO_FLAGS = {"AWS::SQS::Queue": "FifoQueue", "AWS::SNS::Topic": "FifoTopic"}
_QUEUE_URL = "https://sqs.{r}.amazonaws.com/{a}/{n}"  # what Ref and QueueUrl give for an SQS queue
_NAME_PROPERTIES = (
    "FunctionName",
    "QueueName",
    "TopicName",
    "TableName",
    "BucketName",
    "StateMachineName",
    "RoleName",
    "ClusterName",
    "Name",
    "JobQueueName",
    "JobDefinitionName",
)
_TAGS = (
    "Ref",
    "Condition",
    "GetAtt",
    "Sub",
    "Join",
    "If",
    "Select",
    "Split",
    "FindInMap",
    "Base64",
    "Cidr",
    "GetAZs",
    "ImportValue",
    "Equals",
    "And",
    "Or",
    "Not",
    "Length",
    "ToJsonString",
    "Transform",
)


class TemplateError(ValueError):
    """A template that cannot give a state machine definition; the message says why and what to do."""


def load_template(
    path: str | Path,
    logical_id: str | None = None,
    substitutions: Mapping[str, Any] | None = None,
    *,
    allow_outside_folder: bool = False,
) -> dict[str, dict[str, Any]]:
    """The state machine definitions of a template (see the module docstring), by logical id: the definitions
    of :func:`load_state_machines`.

    >>> list(load_template("examples/approval/template.yaml"))
    ['ApprovalStateMachine']
    """
    loaded = load_state_machines(path, logical_id, substitutions, allow_outside_folder=allow_outside_folder)
    return {key: machine.definition for key, machine in loaded.items()}


class TemplateMachine(NamedTuple):
    """A state machine of a template: its name (its ``StateMachineName``, or SAM's ``Name``, resolved; else its
    logical id, where CloudFormation would make one up from it) and its definition."""

    name: str
    definition: dict[str, Any]


def load_state_machines(
    path: str | Path,
    logical_id: str | None = None,
    substitutions: Mapping[str, Any] | None = None,
    *,
    allow_outside_folder: bool = False,
) -> dict[str, TemplateMachine]:
    """The state machines of a template (see the module docstring), by logical id; a lone definition file is one
    machine named after the file.

    ``logical_id`` keeps only that state machine. A ``DefinitionUri`` or ``DefinitionS3Location`` is read only
    from the template's folder or a folder inside it, unless ``allow_outside_folder=True``. Raises
    :class:`TemplateError` for a file that cannot be read (or is not UTF-8), a template without state
    machines, an unknown logical id, an intrinsic function whose arguments do not fit it, or a definition
    that is not JSON; no message shows what a file holds.
    """
    file = Path(path)
    given = dict(substitutions or {})
    text, template = read_template_file(file)
    if template is None:
        name = _logical_id_of(file)
        if logical_id is not None and logical_id != name:
            raise TemplateError(f"{path} is a single definition ({name!r}); it has no state machine {logical_id!r}")
        return {name: TemplateMachine(name, _parse(_fill_terraform(text, given, path), path))}
    machines = {
        key: resource
        for key, resource in template["Resources"].items()
        if isinstance(resource, dict) and resource.get("Type") in STATE_MACHINE_TYPES
    }
    if not machines:
        raise TemplateError(f"{path} defines no state machine: it has no {' or '.join(STATE_MACHINE_TYPES)} resource")
    if logical_id is not None:
        if logical_id not in machines:
            raise TemplateError(
                f"{path} has no state machine {logical_id!r}; its state machines are {', '.join(machines)}"
            )
        machines = {logical_id: machines[logical_id]}
    resolver = Resolver(template, given)
    folder = Folder(file.parent, allow_outside_folder)
    return {
        key: TemplateMachine(
            resolver.name_of(key), _definition(resource.get("Properties") or {}, resolver, folder, f"{path}#{key}")
        )
        for key, resource in machines.items()
    }


def is_template(path: str | Path) -> bool:
    """Whether the file is a SAM / CloudFormation / CDK template (it has Resources), not a lone definition.

    >>> is_template("examples/approval/template.yaml"), is_template("examples/order/order.asl.json")
    (True, False)
    """
    return read_template_file(Path(path))[1] is not None


def read_template_file(file: Path) -> tuple[str, dict[str, Any] | None]:
    """The file's text and, when it is a CloudFormation template, the template (see :func:`read_template`)."""
    try:
        text = read_text(file)
    except DefinitionError as err:
        raise TemplateError(err.message) from None
    return text, read_template(text, file)


def read_template(text: str, file: Path) -> dict[str, Any] | None:
    """The template as a dict, or None when the file is not a CloudFormation template (no Resources)."""
    import yaml

    try:
        document = json.loads(text)
    except RecursionError:
        raise TemplateError(f"{file} is nested too deeply for sfnlocal to read") from None
    except ValueError:
        try:
            document = _yaml(text)
        except yaml.YAMLError:  # a Terraform template with ${...} need not be YAML
            return None
        except UnsafeYaml as err:
            raise TemplateError(f"{file} {err}") from None
        except RecursionError:
            raise TemplateError(f"{file} is nested too deeply for sfnlocal to read") from None
    if not (isinstance(document, dict) and isinstance(document.get("Resources"), dict)):
        return None
    too_deep = nesting_problem(document, "The template")
    if too_deep is not None:
        raise TemplateError(f"{file}: {too_deep.location}: {too_deep.message}")
    return document


def _yaml(text: str) -> Any:
    """YAML with CloudFormation's short-form tags read as their long forms (``!Ref X`` is ``{"Ref": "X"}``),
    aliases bounded as :func:`~sfnlocal.language.loader.bounded_yaml_loader` bounds them."""
    import yaml

    class Loader(bounded_yaml_loader()):  # type: ignore[misc]
        pass

    def construct(tag: str) -> Callable[[yaml.SafeLoader, yaml.Node], Any]:
        def build(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
            if isinstance(node, yaml.ScalarNode):
                value: Any = loader.construct_scalar(node)
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
            if tag == "GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
            return {tag if tag in ("Ref", "Condition") else f"Fn::{tag}": value}

        return build

    for tag in _TAGS:
        Loader.add_constructor(f"!{tag}", construct(tag))
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def _logical_id_of(file: Path) -> str:
    name = file.name
    for suffix in (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml", ".tftpl", ".tpl"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _parse(text: str, where: str | Path) -> dict[str, Any]:
    try:
        definition = parse_text(text, str(where), quote=False)  # the line would show what a file holds
    except DefinitionError as err:
        unresolved = sorted(set(_PLACEHOLDER.findall(text)))
        hint = f"; placeholders left unresolved: {', '.join(unresolved)}" if unresolved else ""
        raise TemplateError(f"{err.message}{hint}") from None
    if not isinstance(definition, dict):
        raise TemplateError(f"{where}: the definition is not a JSON object")
    return definition


def _fill_terraform(text: str, values: dict[str, Any], path: str | Path) -> str:
    """Terraform ``templatefile``: every ``${name}`` replaced; ``$${`` stays a literal ``${``."""
    missing = sorted(
        {name.strip() for name in _PLACEHOLDER.findall(text.replace("$${", "")) if name.strip() not in values}
    )
    if missing:
        raise TemplateError(
            f"{path} has placeholders without a value: {', '.join(missing)}; pass them as "
            f"substitutions={{{', '.join(repr(name) + ': ...' for name in missing)}}}"
        )
    parts = text.split("$${")
    return "${".join(_PLACEHOLDER.sub(lambda match: as_text(values[match.group(1).strip()]), part) for part in parts)


def _definition(properties: dict[str, Any], resolver: Resolver, folder: Folder, where: str) -> dict[str, Any]:
    """One state machine's definition: its source property resolved, then its DefinitionSubstitutions."""
    resolver.where = where
    substitutions = {
        key: resolver.value(value) for key, value in (properties.get("DefinitionSubstitutions") or {}).items()
    }
    substitutions.update(resolver.given)
    if "Definition" in properties:
        definition = resolver.value(properties["Definition"])
        if not isinstance(definition, dict):
            raise TemplateError(f"{where}: Definition must be an object, not {type(definition).__name__}")
        return _substitute_strings(definition, substitutions)
    if "DefinitionString" in properties:
        text = resolver.value(properties["DefinitionString"])
        if not isinstance(text, str):
            raise TemplateError(f"{where}: DefinitionString must resolve to a string")
    elif "DefinitionUri" in properties or "DefinitionS3Location" in properties:
        text = folder.read(properties.get("DefinitionUri", properties.get("DefinitionS3Location")), where)
    else:
        raise TemplateError(f"{where} has no Definition, DefinitionString, DefinitionUri or DefinitionS3Location")
    return _parse(_substitute(text, substitutions), where)


class Folder:
    """The template's folder, from which a DefinitionUri / DefinitionS3Location (and a function's code) is read:
    only files in it or in a folder inside it (after following links), unless the caller allows any file."""

    def __init__(self, folder: Path, allow_outside: bool) -> None:
        self.folder = folder.resolve()
        self.allow_outside = allow_outside

    def inside(self, key: str, where: str, what: str) -> Path:
        """The path ``key`` names (relative to the template's folder), refused when it is outside the folder tree."""
        file = (self.folder / key).resolve()
        if not self.allow_outside and not file.is_relative_to(self.folder):
            raise TemplateError(
                f"{where}: {what} {key} is outside the template's folder {self.folder}; sfnlocal reads "
                "only files in that folder tree, unless you pass allow_outside_folder=True"
            )
        return file

    def read(self, location: Any, where: str) -> str:
        """The text of the file a DefinitionUri / DefinitionS3Location names."""
        key = location.get("Key") if isinstance(location, dict) else location
        if not isinstance(key, str):
            raise TemplateError(f"{where}: the definition's location {shape(location)} names no file")
        file = self.inside(key, where, "the definition file")
        if not file.is_file():
            bucket = f"s3://{location.get('Bucket')}/" if isinstance(location, dict) else ""
            raise TemplateError(
                f"{where}: the definition file {bucket}{key} is not a local file ({file} does not "
                "exist); point DefinitionUri at a file next to the template"
            )
        try:
            return read_text(file)
        except DefinitionError as err:
            raise TemplateError(f"{where}: {err.message}") from None


def _substitute(text: str, values: dict[str, Any]) -> str:
    """Step Functions' DefinitionSubstitutions: ``${key}`` for each key given; anything else is left as it is."""
    return _PLACEHOLDER.sub(
        lambda match: as_text(values[match.group(1)]) if match.group(1) in values else match.group(0), text
    )


def _substitute_strings(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return _substitute(value, values)
    if isinstance(value, dict):
        return {_substitute(key, values): _substitute_strings(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute_strings(item, values) for item in value]
    return value


def as_text(value: Any) -> str:
    """A substituted value as text: strings as they are, numbers and booleans as JSON writes them."""
    return value if isinstance(value, str) else json.dumps(value)


def shape(value: Any) -> str:
    """What a value is, for a message, without showing much of it: ``a list of 3 items``, ``'Arn'``.

    >>> shape([1, 2, 3]), shape("Arn"), shape({"a": 1}), shape(None)
    ('a list of 3 items', "'Arn'", 'an object', 'null')
    """
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else repr(value)


class Resolver:
    """CloudFormation's intrinsic functions, with placeholders for what only a deployment knows.

    An intrinsic whose arguments do not fit it is a :class:`TemplateError` naming the state machine resource
    being read (``where``), the function and what is wrong; a Condition or resource name that refers back to
    itself is one too, rather than a recursion without end.
    """

    def __init__(self, template: dict[str, Any], given: dict[str, Any]) -> None:
        self.given = given
        self.where = "the template"  # the state machine being read, for messages
        self.resources: dict[str, Any] = section(template, "Resources")
        self.parameters: dict[str, Any] = section(template, "Parameters")
        self.mappings: dict[str, Any] = section(template, "Mappings")
        self.conditions: dict[str, Any] = section(template, "Conditions")
        self.resolving: list[str] = []  # the conditions and resource names being resolved, to find a cycle
        self.functions: dict[str, Callable[[Any], Any]] = {
            "Ref": self.ref,
            "Fn::GetAtt": self.get_att,
            "Fn::Sub": self.sub,
            "Fn::Join": self.join,
            "Fn::If": self.if_,
            "Fn::Select": self.select,
            "Fn::Split": self.split,
            "Fn::FindInMap": self.find,
            "Fn::Base64": lambda value: base64.b64encode(self.string("Fn::Base64", value).encode()).decode(),
            "Fn::ImportValue": lambda value: f"<{self.string('Fn::ImportValue', value)}>",
            "Fn::ToJsonString": lambda value: json.dumps(self.value(value), separators=(",", ":")),
            "Fn::Length": lambda value: len(self.items("Fn::Length", self.value(value), "its argument")),
            "Condition": self.condition,
            **{key: partial(self._condition_of, key) for key in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not")},
        }

    def fail(self, function: str, problem: str) -> TemplateError:
        """The error for an intrinsic function that cannot be resolved."""
        return TemplateError(f"{self.where}: {function} {problem}")

    def value(self, node: Any) -> Any:
        """A template value with every intrinsic function resolved (``AWS::NoValue`` entries dropped)."""
        if isinstance(node, dict):
            if len(node) == 1:
                [(key, argument)] = node.items()
                function = self.functions.get(key)
                if function is not None:
                    return function(argument)
            resolved = {key: self.value(item) for key, item in node.items()}
            return {key: item for key, item in resolved.items() if item is not _NO_VALUE}
        if isinstance(node, list):
            return [item for item in map(self.value, node) if item is not _NO_VALUE]
        return node

    def string(self, function: str, node: Any, what: str = "its argument") -> str:
        """``node`` resolved, which must be a string."""
        value = self.value(node)
        if not isinstance(value, str):
            raise self.fail(function, f"needs a string as {what}, but got {shape(value)}")
        return value

    def items(self, function: str, value: Any, what: str, count: int | None = None) -> list[Any]:
        """``value`` (already resolved) as a list, of ``count`` items when given."""
        if not isinstance(value, list) or (count is not None and len(value) != count):
            wanted = "a list" if count is None else f"a list of {count} items"
            raise self.fail(function, f"needs {wanted} as {what}, but got {shape(value)}")
        return value

    def ref(self, name: Any) -> Any:
        name = self.string("Ref", name, "the name it refers to")
        if name in self.given:
            return self.given[name]
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        if name in self.parameters:
            parameter = self.parameters[name] if isinstance(self.parameters[name], dict) else {}
            return parameter["Default"] if "Default" in parameter else f"<{name}>"
        if name in self.resources:
            kind = self.kind_of(name)
            if kind == "AWS::SQS::Queue":
                return self._format(_QUEUE_URL, name)
            return self._arn(name, kind) if kind in _REF_IS_ARN else self.name_of(name)
        alias = self._sam_alias(name)
        return alias if alias is not None else f"<{name}>"

    def _sam_alias(self, name: str) -> str | None:
        """SAM's ``Function.Alias`` reference (a function with ``AutoPublishAlias``): the alias's ARN."""
        logical, _, attribute = name.partition(".")
        if attribute != "Alias" or self.kind_of(logical) != "AWS::Serverless::Function":
            return None
        properties = self.resources[logical].get("Properties")
        alias = properties.get("AutoPublishAlias") if isinstance(properties, dict) else None
        if alias is None:
            return None
        return f"{self._arn(logical, 'AWS::Serverless::Function')}:{self.string('AutoPublishAlias', alias)}"

    def get_att(self, argument: Any) -> Any:
        parts = argument.split(".", 1) if isinstance(argument, str) else self.value(argument)
        if not (isinstance(parts, list) and len(parts) == 2 and all(isinstance(part, str) for part in parts)):
            raise self.fail(
                "Fn::GetAtt", f"needs 'Resource.Attribute' or [Resource, Attribute], but got {shape(parts)}"
            )
        logical, attribute = parts
        if f"{logical}.{attribute}" in self.given:
            return self.given[f"{logical}.{attribute}"]
        if attribute.endswith("Arn"):
            return self._arn(logical, self.kind_of(logical))
        if attribute == "QueueUrl":
            return self._format(_QUEUE_URL, logical)
        return self.name_of(logical)

    def kind_of(self, logical: str) -> str:
        resource = self.resources.get(logical)
        kind = resource.get("Type", "") if isinstance(resource, dict) else ""
        return kind if isinstance(kind, str) else ""

    def name_of(self, logical: str) -> str:
        """The resource's name: its name property (FunctionName, TableName, ...) when it has one, else its id."""
        resource = self.resources.get(logical)
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if not isinstance(properties, dict):
            return logical
        key = next((key for key in _NAME_PROPERTIES if key in properties), None)
        if key is None:
            # CloudFormation ends the name it makes for a FIFO queue or topic with .fifo, as SQS and SNS require.
            flag = _FIFO_FLAGS.get(self.kind_of(logical))
            fifo = self.value(properties[flag]) if flag is not None and flag in properties else False
            return f"{logical}.fifo" if fifo is True or str(fifo).lower() == "true" else logical
        with self._resolving(f"the resource {logical}'s {key}"):
            named = self.value(properties[key])
        return named if isinstance(named, str) and not _PLACEHOLDER.search(named) else logical

    def _arn(self, logical: str, kind: str) -> str:
        service = kind.split("::")[1].lower() if kind.count("::") == 2 else "unknown"
        return self._format(_ARNS.get(kind, f"arn:aws:{service}:{{r}}:{{a}}:{{n}}"), logical)

    def _format(self, pattern: str, logical: str) -> str:
        return pattern.format(r=self.ref("AWS::Region"), a=self.ref("AWS::AccountId"), n=self.name_of(logical))

    def sub(self, argument: Any) -> str:
        if isinstance(argument, str):
            text, variables = argument, {}
        elif isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            text, variables = self.string("Fn::Sub", argument[0], "its text"), argument[1]
        else:
            raise self.fail("Fn::Sub", f"needs a string or [string, {{variables}}], but got {shape(argument)}")
        local = {key: self.value(value) for key, value in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in local:
                return as_text(local[name])
            if "." in name and name.split(".", 1)[0] in self.resources:
                alias = self._sam_alias(name)
                return alias if alias is not None else as_text(self.get_att(name))
            if name in self.given or name in self.parameters or name in self.resources or name in PSEUDO_PARAMETERS:
                return as_text(self.ref(name))
            return match.group(0)  # left for DefinitionSubstitutions

        return _PLACEHOLDER.sub(replace, text)

    def join(self, argument: Any) -> str:
        delimiter, items = self.items("Fn::Join", argument, "[delimiter, [values]]", 2)
        delimiter = self.string("Fn::Join", delimiter, "its delimiter")
        values = self.items("Fn::Join", self.value(items), "the values to join")
        if any(isinstance(item, (dict, list)) for item in values):
            raise self.fail("Fn::Join", "joins strings (and numbers), but a value to join is an object or a list")
        return delimiter.join(as_text(item) for item in values)

    def if_(self, argument: Any) -> Any:
        name, when_true, when_false = self.items("Fn::If", argument, "[condition, value if true, value if false]", 3)
        return self.value(when_true if self.condition(name) else when_false)

    def select(self, argument: Any) -> Any:
        index, items = self.items("Fn::Select", self.value(argument), "[index, [values]]", 2)
        values = self.items("Fn::Select", items, "the values to select from")
        number = int(index) if isinstance(index, str) and index.isdigit() else index
        if not isinstance(number, int) or isinstance(number, bool):
            raise self.fail("Fn::Select", f"needs a whole number as its index, but got {shape(index)}")
        if not 0 <= number < len(values):
            raise self.fail("Fn::Select", f"index {number} is out of range: the list has {len(values)} items")
        return values[number]

    def split(self, argument: Any) -> list[str]:
        delimiter, text = self.items("Fn::Split", self.value(argument), "[delimiter, text]", 2)
        if not isinstance(delimiter, str) or not delimiter or not isinstance(text, str):
            raise self.fail("Fn::Split", "needs a delimiter (a non-empty string) and a string to split")
        return text.split(delimiter)

    def find(self, argument: Any) -> Any:
        name, first, second = self.items("Fn::FindInMap", self.value(argument), "[map, top key, second key]", 3)
        found: Any = self.mappings
        for key, what in ((name, "map"), (first, "top-level key"), (second, "second-level key")):
            if not isinstance(found, dict) or not isinstance(key, str) or key not in found:
                known = ", ".join(map(str, found)) if isinstance(found, dict) else "none"
                raise self.fail(
                    "Fn::FindInMap", f"finds no {what} {shape(key)} in the Mappings (there: {known[:200] or 'none'})"
                )
            found = found[key]
        return self.value(found)

    def condition(self, name: Any) -> bool:
        """A named condition; one the template does not define counts as true."""
        if not isinstance(name, str):
            raise self.fail("Condition", f"needs a condition's name, but got {shape(name)}")
        if name not in self.conditions:
            return True
        with self._resolving(f"the condition {name}"):
            return bool(self.condition_value(self.conditions[name]))

    @contextmanager
    def _resolving(self, what: str) -> Iterator[None]:
        """Mark ``what`` as being resolved while the block runs; meeting it again inside is a cycle."""
        if what in self.resolving:
            cycle = " -> ".join([*self.resolving[self.resolving.index(what) :], what])
            raise TemplateError(f"{self.where}: {what} refers to itself ({cycle}), so it has no value")
        self.resolving.append(what)
        try:
            yield
        finally:
            self.resolving.pop()

    def _condition_of(self, function: str, argument: Any) -> Any:
        """A condition function (``Fn::Equals``, ...) met as an intrinsic inside a value."""
        return self.condition_value({function: argument})

    def condition_value(self, node: Any) -> Any:
        if not isinstance(node, dict) or len(node) != 1:
            return self.value(node)
        [(key, argument)] = node.items()
        if key == "Fn::Equals":
            left, right = (self.condition_value(item) for item in self.items(key, argument, "[left, right]", 2))
            return left == right
        if key in ("Fn::And", "Fn::Or"):
            conditions = self.items(key, argument, "its conditions")
            if not 2 <= len(conditions) <= 10:
                raise self.fail(key, f"needs 2 to 10 conditions, but got {len(conditions)}")
            return (all if key == "Fn::And" else any)(self.condition_value(item) for item in conditions)
        if key == "Fn::Not":
            return not self.condition_value(self.items(key, argument, "[condition]", 1)[0])
        if key == "Condition":
            return self.condition(argument)
        return self.value(node)


def section(template: dict[str, Any], name: str) -> dict[str, Any]:
    """A top-level section of the template (Resources, Parameters, ...): an object, or empty."""
    section = template.get(name)
    return section if isinstance(section, dict) else {}
