"""A small driver for Debian's headless ``chromium`` over the DevTools protocol (websocket-client).

Enough to open a Streamlit page, wait until it has finished running, type into inputs, click,
read the DOM and take a screenshot.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Self

import websocket  # websocket-client

#: True when Streamlit has finished a run: no running indicator, no skeleton.
SETTLED_JS = (
    "(() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
    " && !!document.querySelector('[data-testid=\"stMain\"]'))()"
)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """One headless Chromium with one page."""

    def __init__(self, *, width: int = 1400, height: int = 1000, timeout: float = 60) -> None:
        binary = chromium_path()
        if binary is None:
            raise RuntimeError("chromium is not installed")
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="merkwacht-cdp-")
        self.timeout = timeout
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                f"--remote-debugging-port={self.port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout)
        self._id = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def wait_for(self, expression: str, *, timeout: float | None = None, stable: int = 3) -> None:
        """Wait until ``expression`` is true on ``stable`` consecutive polls and the app has settled."""
        deadline = time.monotonic() + (timeout or self.timeout)
        hits = 0
        while time.monotonic() < deadline:
            try:
                ok = self.evaluate(
                    f"(() => {{ try {{ return !!({expression}) && {SETTLED_JS}; }}"
                    f" catch (e) {{ return false; }} }})()"
                )
            except RuntimeError:
                ok = False
            hits = hits + 1 if ok else 0
            if hits >= stable:
                return
            time.sleep(0.4)
        raise TimeoutError(f"timed out waiting for {expression}; page text: {self.text()[:800]!r}")

    def text(self) -> str:
        return str(self.evaluate("document.body ? document.body.innerText : ''") or "")

    def type_into(self, selector: str, text: str) -> None:
        """Focus the element and type ``text`` as if from the keyboard."""
        found = self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " if (!el) return false; el.focus(); el.select && el.select(); return true; })()"
        )
        if not found:
            raise RuntimeError(f"no element {selector}")
        self.call("Input.insertText", text=text)

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13
            )

    def click_text(self, selector: str, text: str) -> None:
        """Click the first ``selector`` element whose text contains ``text``."""
        clicked = self.evaluate(
            f"(() => {{ const els = [...document.querySelectorAll({json.dumps(selector)})];"
            f" const el = els.find(e => e.innerText.includes({json.dumps(text)}));"
            " if (!el) return false; el.click(); return true; })()"
        )
        if not clicked:
            raise RuntimeError(f"no {selector} with text {text!r}")

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate(
                "[document.documentElement.scrollWidth, "
                "document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight "
                "|| document.documentElement.scrollHeight]"
            )
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": size[0], "height": min(size[1], 6000), "scale": 1},
            )
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
