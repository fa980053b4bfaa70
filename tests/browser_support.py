"""A real browser for the tests: headless Chromium (Debian's package; .ci/run installs it) driven through the
DevTools protocol over a pipe (``--remote-debugging-pipe``: messages are JSON, each ended by a NUL byte, read by
Chromium on its fd 3 and written on its fd 4), so that no extra package and no port is needed.

Every console error, failed ``console.assert`` and uncaught exception of a page is collected: :meth:`Page.check`
fails the test with them, and the ``page`` fixtures of the browser tests call it at teardown.

    with Browser() as browser:
        page = browser.page()
        page.goto(path.as_uri(), ready="window.sfnViewer && window.sfnViewer.ready")
        page.click('#graph .state[data-state="Charge"]')
        page.screenshot(ARTIFACTS / "charge.png")
        page.check()
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SKIP_REASON = f"Chromium is not installed ({CHROMIUM}); .ci/run installs Debian's package"
# Screenshots and pages kept for a person to look at after the run (gitignored).
ARTIFACTS = Path(os.environ.get("SFNLOCAL_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--window-size=1400,1000",
    "--remote-debugging-pipe",
]


class BrowserError(AssertionError):
    """The page did something wrong (a JavaScript error), or the browser did not answer."""


class Browser:
    """One headless Chromium with a fresh profile; a context manager that ends it."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="sfnlocal-chromium-")
        self._log = open(Path(self._profile.name) / "chromium.log", "wb")  # noqa: SIM115 - closed in close()
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # The browser wants the pipe on its fds 3 and 4: put there in the child, just before it runs Chromium
        # (above fd 4 first, so that neither end overwrites the other).
        to_browser_read, from_browser_write = (_above_four(fd) for fd in (to_browser_read, from_browser_write))

        def onto_three_and_four() -> None:
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            pass_fds=(3, 4),
            preexec_fn=onto_three_and_four,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next_id = 0
        self._answers: dict[int, dict[str, Any]] = {}
        self._listeners: dict[str, Page] = {}
        self._lock = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the browser (the process this started, by its id) and remove its profile."""
        if self.process.poll() is None:
            try:
                self.send("Browser.close", timeout=10)
            except BrowserError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.close(self._to_browser)
        self._log.close()
        self._profile.cleanup()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._answers[message["id"]] = message
                        self._lock.notify_all()
                    else:
                        page = self._listeners.get(message.get("sessionId", ""))
                        if page is not None:
                            page._event(message["method"], message.get("params", {}))
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        os.close(self._from_browser)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one DevTools command and wait for its answer (its ``result``); a BrowserError for its error."""
        with self._lock:
            self._next_id += 1
            command_id = self._next_id
        message: dict[str, Any] = {"id": command_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise BrowserError(
                f"Chromium has ended (exit status {self.process.poll()}); its log:\n{self.log()}"
            ) from None
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._lock:
            while command_id not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise BrowserError(
                        f"Chromium did not answer {method} within {timeout or self.timeout} s; its log:\n{self.log()}"
                    )
                self._lock.wait(left)
            answer = self._answers.pop(command_id)
        if "error" in answer:
            raise BrowserError(f"{method} failed: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def log(self) -> str:
        """The last of what Chromium wrote on its stderr."""
        self._log.flush()
        return (Path(self._profile.name) / "chromium.log").read_text(errors="replace")[-3000:]

    def page(self, width: int = 1400, height: int = 1000) -> Page:
        """A new tab, its console and exceptions collected."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        with self._lock:
            self._listeners[session] = page
        for domain in ("Runtime", "Log", "Page"):
            page.send(f"{domain}.enable")
        page.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        return page


def _above_four(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 5)
    os.close(fd)
    return moved


class Page:
    """One tab: navigate, evaluate JavaScript, click, type, take screenshots; the errors it logged in ``errors``."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session
        self.errors: list[str] = []
        self.loaded = threading.Event()

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session, timeout)

    def _event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            description = details.get("exception", {}).get("description") or details.get("text")
            self.errors.append(f"uncaught: {description} at {details.get('url', '')}:{details.get('lineNumber')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.errors.append(f"console.{params['type']}: {text}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Page.loadEventFired":
            self.loaded.set()

    def goto(self, url: str, ready: str | None = None, timeout: float = 30.0) -> None:
        """Open ``url`` and wait for its load event and, given ``ready``, until that expression is true."""
        self.loaded.clear()
        answer = self.send("Page.navigate", {"url": url})
        if answer.get("errorText"):
            raise BrowserError(f"could not open {url}: {answer['errorText']}")
        if not self.loaded.wait(timeout):
            raise BrowserError(f"{url} did not load within {timeout} s")
        if ready is not None:
            self.wait_for(ready, timeout)

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"{expression!r} still false after {timeout} s; page errors: {self.errors}")
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited when a promise); a BrowserError when it throws."""
        answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            raise BrowserError(
                f"{expression!r} threw: {details.get('exception', {}).get('description') or details.get('text')}"
            )
        return answer["result"].get("value")

    def click(self, selector: str) -> None:
        """Click the middle of the first element matching ``selector`` with the mouse, as a person would."""
        box = self.evaluate(
            f"""(() => {{
              const node = document.querySelector({json.dumps(selector)});
              if (!node) return null;
              node.scrollIntoView({{block: "center", inline: "center"}});
              const r = node.getBoundingClientRect();
              return [r.left + r.width / 2, r.top + r.height / 2];
            }})()"""
        )
        if box is None:
            raise BrowserError(f"nothing matches {selector!r}")
        x, y = box
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def press(self, key: str, code: str | None = None, key_code: int | None = None, text: str | None = None) -> None:
        """Press and release one key (``Enter``, ``Tab``, ``j``) in the focused element."""
        params: dict[str, Any] = {"key": key, "code": code or key}
        if key_code is not None:
            params["windowsVirtualKeyCode"] = key_code
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", **params, **({"text": text} if text else {})})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **params})

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """A PNG of the page (the whole of it, past the window, with ``full_page``) written to ``path``."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            width, height = self.evaluate(
                "[document.documentElement.scrollWidth, Math.min(document.documentElement.scrollHeight, 12000)]"
            )
            params.update(
                captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
            )
        data = self.send("Page.captureScreenshot", params, timeout=60)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def check(self) -> None:
        """Fail when the page logged a JavaScript error or threw."""
        if self.errors:
            raise BrowserError("the page had JavaScript errors:\n" + "\n".join(self.errors))
