"""The application's Lambda functions out of a SAM, CloudFormation or CDK (``cdk.out``) template.

:func:`functions_from_template` reads the templates :func:`~sfnlocal.templates.load_template` reads and returns
``{function name: LambdaFunction}``. A function is named as the state machine definitions of the same template
name it: its ``FunctionName``, else its logical id, which is the name in the placeholder ARN that ``!GetAtt
Fn.Arn``, ``!Ref Fn`` and ``${Fn.Arn}`` give (so a definition's ``${ChargeArn}`` names a function of this list).

* ``AWS::Serverless::Function``, with the template's ``Globals.Function`` merged in as SAM merges it (a plain
  value or an intrinsic function of the function's own wins; objects such as ``Environment.Variables`` merge key
  by key, the function's value winning; lists such as ``Layers`` are the Globals' items then the function's):
  ``CodeUri`` (a folder, relative to the template; without it, the template's folder, as SAM CLI reads it),
  ``InlineCode``, ``Handler``, ``Runtime``, ``PackageType``, ``Layers``, ``Environment.Variables``,
  ``Timeout``, ``MemorySize``.
* ``AWS::Lambda::Function``: ``Code.ZipFile``; ``Code`` given as a folder (relative to the template), as
  ``sam build`` writes it and ``aws cloudformation package`` reads it; ``Code.S3Bucket``/``S3Key`` of a CDK asset
  (the resource's Metadata ``aws:asset:path``, with ``aws:asset:property: Code``, is a folder next to the template
  in ``cdk.out``); ``Code.ImageUri``; and the same configuration as above (SAM's Globals do not apply).
* A layer is read when the function refers to a layer of the template (``!Ref Layer``) whose content is a local
  folder: an ``AWS::Serverless::LayerVersion``'s ``ContentUri``, an ``AWS::Lambda::LayerVersion``'s ``Content``
  given as a folder or its CDK asset (``aws:asset:property: Content``). ``layers`` holds these content folders
  (what Lambda extracts to ``/opt``, with the Python modules under ``python/``). A layer given by an ARN, or
  whose content is in S3, is left out: its modules are importable only if they are installed where the tests run.

Environment variables are strings, as CloudFormation makes them (a number or a boolean as JSON writes it). A
resource whose ``Condition`` is false is not created, so not listed. A code folder is read only inside the
template's folder tree (unless ``allow_outside_folder=True``), and a missing one is a :class:`TemplateError`.
A function sfnlocal cannot run in-process is still listed, so that a task calling it fails saying so: a
container image has the runtime ``"image"`` and no code; code only in S3 (``CodeUri: s3://...``, a ``Code``
that is no CDK asset) has neither ``code`` nor ``inline_code``; another language keeps its ``Runtime``.

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "charge").mkdir()
>>> _ = (folder / "template.yaml").write_text('''
... Globals:
...   Function: {Runtime: python3.12, Environment: {Variables: {STAGE: test}}}
... Resources:
...   ChargeFunction:
...     Type: AWS::Serverless::Function
...     Properties:
...       CodeUri: charge/
...       Handler: app.lambda_handler
...       Environment: {Variables: {TABLE: !Ref Orders}}
...   Orders:
...     Type: AWS::DynamoDB::Table
...     Properties: {TableName: orders}
... ''')
>>> charge = functions_from_template(folder / "template.yaml")["ChargeFunction"]
>>> charge.handler, charge.runtime, dict(charge.environment), charge.code == (folder / "charge").resolve()
('app.lambda_handler', 'python3.12', {'STAGE': 'test', 'TABLE': 'orders'}, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sfnlocal.integrations.lambda_functions.loading import is_python
from sfnlocal.integrations.lambda_functions.spec import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_SECONDS,
    IMAGE_RUNTIME,
    LambdaFunction,
)
from sfnlocal.templates.definitions import Folder, Resolver, TemplateError, as_text, read_template_file, section, shape

SERVERLESS_FUNCTION, LAMBDA_FUNCTION = "AWS::Serverless::Function", "AWS::Lambda::Function"
SERVERLESS_LAYER, LAMBDA_LAYER = "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"
_CDK_ASSET_PATH, _CDK_ASSET_PROPERTY = "aws:asset:path", "aws:asset:property"


def functions_from_template(
    path: str | Path,
    substitutions: Mapping[str, Any] | None = None,
    *,
    allow_outside_folder: bool = False,
    strict: bool = True,
) -> dict[str, LambdaFunction]:
    """The Lambda functions of a template (see the module docstring), by function name.

    ``substitutions`` overrides parameters, pseudo parameters and placeholders as for
    :func:`~sfnlocal.templates.load_template` (so ``{"Stage": "prod"}`` names the functions as the definitions
    loaded with it name them). Raises :class:`TemplateError` for a file that cannot be read, a file that is no
    template, a code or layer folder that does not exist (or is outside the template's folder tree), a
    property of the wrong type, or two functions with one name. With ``strict=False`` a function that cannot be
    read that way is listed all the same, with the problem as its ``unavailable`` (a task calling it fails with
    that message), so that a template whose tests mock that function still loads; and a file that is no template
    (a lone definition) has no functions.
    """
    file = Path(path)
    _, template = read_template_file(file)
    if template is None:
        if not strict:  # a lone definition (Terraform-style) has no functions
            return {}
        raise TemplateError(f"{path} is not a SAM or CloudFormation template: it has no Resources section")
    resolver = Resolver(template, dict(substitutions or {}))
    folder = Folder(file.parent, allow_outside_folder)
    function_globals = section(section(template, "Globals"), "Function")
    functions: dict[str, LambdaFunction] = {}
    for logical, resource in resolver.resources.items():
        kind = resolver.kind_of(logical)
        resolver.where = f"{path}#{logical}"
        if kind not in (SERVERLESS_FUNCTION, LAMBDA_FUNCTION) or not _created(resource, resolver):
            continue
        properties = resource.get("Properties")
        properties = properties if isinstance(properties, dict) else {}
        if kind == SERVERLESS_FUNCTION:
            properties = _merge_globals(function_globals, properties)
        try:
            function = _function(logical, kind, resource, properties, resolver, folder)
        except TemplateError as problem:
            if strict:
                raise
            # Loading a state machine need not fail for a function its tests may mock: a task calling it fails.
            function = LambdaFunction(resolver.name_of(logical), "", None, logical_id=logical, unavailable=str(problem))
        if function.name in functions:
            raise TemplateError(
                f"{path}: the functions {functions[function.name].logical_id} and {logical} are both named "
                f"{function.name!r}; a function name is unique in an account and region"
            )
        functions[function.name] = function
    return functions


def _created(resource: dict[str, Any], resolver: Resolver) -> bool:
    """Whether CloudFormation creates the resource: it has no Condition, or its Condition is true."""
    return "Condition" not in resource or resolver.condition(resource["Condition"])


def _merge_globals(global_value: Any, local_value: Any) -> Any:
    """SAM's merge of a Globals value into a function's: objects key by key, lists the Globals' items first, and
    otherwise (plain values, intrinsic functions, values of different types) the function's own value.

    >>> _merge_globals({"Timeout": 3, "Layers": ["a"], "Environment": {"Variables": {"A": "1", "B": "2"}}},
    ...                {"Timeout": 5, "Layers": ["b"], "Environment": {"Variables": {"B": "3"}}})
    {'Timeout': 5, 'Layers': ['a', 'b'], 'Environment': {'Variables': {'A': '1', 'B': '3'}}}
    >>> _merge_globals({"Variables": {"A": "1"}}, {"Variables": {"Ref": "Vars"}})
    {'Variables': {'Ref': 'Vars'}}
    """
    if isinstance(global_value, list) and isinstance(local_value, list):
        return global_value + local_value
    if not (_is_object(global_value) and _is_object(local_value)):
        return local_value
    merged = dict(global_value)
    for key, value in local_value.items():
        merged[key] = _merge_globals(merged[key], value) if key in merged else value
    return merged


def _is_object(value: Any) -> bool:
    """An object of properties, not an intrinsic function (which SAM merges as a plain value)."""
    if not isinstance(value, dict):
        return False
    key = next(iter(value), "")
    return not (len(value) == 1 and (key in ("Ref", "Condition") or key.startswith("Fn::")))


def _function(
    logical: str, kind: str, resource: dict[str, Any], properties: dict[str, Any], resolver: Resolver, folder: Folder
) -> LambdaFunction:
    name = resolver.name_of(logical)
    where = f"{resolver.where} (function {name})"
    image = resolver.value(properties.get("PackageType")) == "Image"
    if image:
        runtime: str | None = IMAGE_RUNTIME
    else:
        runtime = _optional_string(resolver, properties, "Runtime", where)
    # sfnlocal runs Python code only: another runtime's code folder (often built elsewhere) is not needed, and
    # a task calling that function fails saying how to mock it.
    foreign = image or (runtime is not None and not is_python(runtime))
    code, inline_code = (None, None) if foreign else _code(kind, resource, properties, resolver, folder, where)
    handler = _optional_string(resolver, properties, "Handler", where)
    if handler is None and not image:  # Lambda requires a Handler for a .zip function; an image has a default
        raise TemplateError(f"{where} has no Handler; Lambda needs one, such as app.lambda_handler")
    return LambdaFunction(
        name=name,
        handler=handler or "",
        code=code,
        inline_code=inline_code,
        runtime=runtime,
        layers=_layers(properties.get("Layers"), resolver, folder, where),
        environment=_environment(properties.get("Environment"), resolver, where),
        timeout=float(_number(resolver, properties, "Timeout", DEFAULT_TIMEOUT_SECONDS, where)),
        memory_mb=int(_number(resolver, properties, "MemorySize", DEFAULT_MEMORY_MB, where)),
        logical_id=logical,
    )


def _code(
    kind: str, resource: dict[str, Any], properties: dict[str, Any], resolver: Resolver, folder: Folder, where: str
) -> tuple[Path | None, str | None]:
    """The function's code folder or inline source; (None, None) when its code is only in S3."""
    if kind == SERVERLESS_FUNCTION:
        if "InlineCode" in properties:
            return None, _optional_string(resolver, properties, "InlineCode", where)
        location = resolver.value(properties.get("CodeUri", "."))  # SAM CLI reads the template's folder by default
        if _local_path(location):
            return _local_folder(folder, location, where, "code folder (CodeUri)"), None
        return None, None  # an s3:// URI or {Bucket, Key}
    code = resolver.value(properties.get("Code"))
    if _local_path(code):  # a folder, as `sam build` writes it and `aws cloudformation package` reads it
        return _local_folder(folder, code, where, "code folder (Code)"), None
    if isinstance(code, dict) and "ZipFile" in code:
        if not isinstance(code["ZipFile"], str):
            raise TemplateError(f"{where}: Code.ZipFile must be the source text, not {shape(code['ZipFile'])}")
        return None, code["ZipFile"]
    asset = _cdk_asset(resource, "Code")
    return (_local_folder(folder, asset, where, "CDK asset folder"), None) if asset is not None else (None, None)


def _local_path(location: Any) -> bool:
    """Whether a code location (``CodeUri``, ``Code``, ``ContentUri``, ``Content``) is a local path, not an
    ``s3://`` URI nor an S3 object given by its bucket and key."""
    return isinstance(location, str) and not location.startswith("s3://")


def _cdk_asset(resource: dict[str, Any], property_name: str) -> str | None:
    """The asset folder (relative to cdk.out) that CDK's Metadata gives for the resource's ``property_name``."""
    metadata = resource.get("Metadata")
    if not isinstance(metadata, dict) or metadata.get(_CDK_ASSET_PROPERTY) != property_name:
        return None
    asset = metadata.get(_CDK_ASSET_PATH)
    return asset if isinstance(asset, str) else None


def _local_folder(folder: Folder, key: str, where: str, what: str) -> Path:
    path = folder.inside(key, where, f"its {what}")
    if not path.is_dir():
        problem = "is a file, not a folder" if path.exists() else "does not exist"
        raise TemplateError(
            f"{where}: its {what} {key} {problem} ({path}); sfnlocal runs a function from its source folder "
            "(or from the folders `sam build` / `cdk synth` write)"
        )
    return path


def _layers(node: Any, resolver: Resolver, folder: Folder, where: str) -> tuple[Path, ...]:
    """The content folders of the template's own layers among the function's Layers."""
    if node is None:
        return ()
    if not isinstance(node, list):
        raise TemplateError(f"{where}: Layers must be a list of layer ARNs, not {shape(resolver.value(node))}")
    folders = []
    for item in node:
        logical = _layer_of(item, resolver)
        if logical is None:
            continue  # a layer from elsewhere (an ARN): see the module docstring
        resource = resolver.resources[logical]
        properties = resource.get("Properties")
        properties = properties if isinstance(properties, dict) else {}
        content = "ContentUri" if resolver.kind_of(logical) == SERVERLESS_LAYER else "Content"
        location = resolver.value(properties.get(content))
        key = location if _local_path(location) else _cdk_asset(resource, "Content")
        if key is not None:
            folders.append(_local_folder(folder, key, where, f"layer {logical}'s content folder"))
    return tuple(folders)


def _layer_of(item: Any, resolver: Resolver) -> str | None:
    """The logical id of the template's layer that a Layers item refers to (``Ref``, ``Fn::GetAtt``, either
    through ``Fn::If``), if any."""
    if not (isinstance(item, dict) and len(item) == 1):
        return None
    [(function, argument)] = item.items()
    if function == "Fn::If":
        condition, when_true, when_false = resolver.items("Fn::If", argument, "[condition, if true, if false]", 3)
        return _layer_of(when_true if resolver.condition(condition) else when_false, resolver)
    if function == "Fn::GetAtt":
        argument = argument[0] if isinstance(argument, list) and argument else None
    elif function != "Ref":
        return None
    if isinstance(argument, str) and resolver.kind_of(argument) in (SERVERLESS_LAYER, LAMBDA_LAYER):
        return argument if _created(resolver.resources[argument], resolver) else None
    return None


def _environment(node: Any, resolver: Resolver, where: str) -> Mapping[str, str]:
    """Environment.Variables as CloudFormation passes them to Lambda: strings."""
    environment = resolver.value(node) if node is not None else {}
    if not isinstance(environment, dict):
        raise TemplateError(f"{where}: Environment must be an object with Variables, not {shape(environment)}")
    variables = environment.get("Variables", {})
    if not isinstance(variables, dict):
        raise TemplateError(f"{where}: Environment.Variables must be an object, not {shape(variables)}")
    for key, value in variables.items():
        if value is None or isinstance(value, (dict, list)):
            raise TemplateError(
                f"{where}: the environment variable {key} is {shape(value)}; a variable's value is a string "
                "(a number or a boolean becomes its text)"
            )
    return MappingProxyType({key: as_text(value) for key, value in variables.items()})


def _optional_string(resolver: Resolver, properties: dict[str, Any], key: str, where: str) -> str | None:
    if key not in properties:
        return None
    value = resolver.value(properties[key])
    if not isinstance(value, str):
        raise TemplateError(f"{where}: {key} must be a string, not {shape(value)}")
    return value


def _number(resolver: Resolver, properties: dict[str, Any], key: str, default: float, where: str) -> float:
    """A whole number of seconds or megabytes; a template may write it as text (``!Ref`` of a parameter)."""
    if key not in properties:
        return default
    value = resolver.value(properties[key])
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise TemplateError(f"{where}: {key} must be a positive number, not {shape(value)}")
    return value
