"""What sfnlocal knows of one Lambda function: where its code is, its handler, and its configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

DEFAULT_TIMEOUT_SECONDS = 3.0  # Lambda's default Timeout
DEFAULT_MEMORY_MB = 128  # Lambda's default MemorySize
IMAGE_RUNTIME = "image"  # the runtime sfnlocal gives a function packaged as a container image


@dataclass(frozen=True)
class LambdaFunction:
    """One function of the application, as its template (or a plain mapping) declares it.

    >>> LambdaFunction("charge", "app.lambda_handler", Path("functions/charge")).timeout
    3.0
    """

    name: str  # FunctionName, or the logical id when the template gives none
    handler: str  # Lambda's Handler, e.g. "app.lambda_handler"
    code: Path | None  # the code folder (CodeUri, Code, a CDK asset folder); None with inline_code
    inline_code: str | None = None  # Code.ZipFile's source text
    runtime: str | None = None  # e.g. "python3.12"; None when the template does not say
    layers: tuple[Path, ...] = ()  # the content folders of the function's Layers
    environment: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    logical_id: str | None = None  # the template's logical id, when it comes from one
    unavailable: str | None = (
        None  # why sfnlocal cannot run it (e.g. its code folder is missing): tasks calling it fail
    )
