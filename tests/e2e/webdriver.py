"""A small W3C WebDriver client (standard library only) for driving the desktop app through
tauri-driver. Just what the end-to-end test needs: sessions, elements, frames, scripts,
screenshots."""

import base64
import http.client
import json
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ENTER = "\ue007"
CONTROL = "\ue009"
BACKSPACE = "\ue003"


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, base, capabilities, timeout=60):
        self.base = base.rstrip("/")
        reply = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}},
                           timeout=timeout)
        self.id = reply["sessionId"]

    def _call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(3):
            req = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=timeout) as resp:
                    payload = json.loads(resp.read() or b"{}")
                return payload.get("value", payload)
            except urllib.error.HTTPError as e:
                detail = e.read().decode(errors="replace")
                raise WebDriverError(f"{method} {path}: HTTP {e.code}: {detail[:500]}") from None
            except (http.client.RemoteDisconnected, ConnectionResetError):
                # tauri-driver forwards each command over a pooled connection to
                # WebKitWebDriver; when that connection was closed while idle, the command is
                # dropped before it reaches the driver ("client error (SendRequest)" in its
                # log) and our connection closes with no answer. Sending it again is safe.
                if attempt == 2:
                    raise
                time.sleep(0.2)

    def cmd(self, method, path, body=None):
        return self._call(method, f"/session/{self.id}{path}", body)

    def quit(self):
        try:
            self._call("DELETE", f"/session/{self.id}", timeout=15)
        except Exception:
            pass

    # Elements -------------------------------------------------------------------------------
    def find_all(self, css):
        found = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, f[ELEMENT]) for f in found]

    def find(self, css):
        found = self.find_all(css)
        if not found:
            raise WebDriverError(f"no element matches {css}")
        return found[0]

    def wait_for(self, css, timeout=20):
        return wait(lambda: (self.find_all(css) or [None])[0], timeout, f"element {css}")

    def script(self, source, *args):
        return self.cmd("POST", "/execute/sync", {"script": source, "args": list(args)})

    def screenshot(self, path):
        # WebKit takes the screenshot at the next paint. Drawn without compositing (the app's
        # choice without a GPU), a still page never paints again and the request never returns:
        # a one-pixel, all but transparent dot changes shade for a moment to make that paint.
        self.script("""
            const dot = document.createElement('div');
            dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';
            document.documentElement.appendChild(dot);
            let n = 0;
            const tick = setInterval(() => {
              dot.style.background = n % 2 ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)';
              if (++n > 60) { clearInterval(tick); dot.remove(); }
            }, 30);""")
        data = self.cmd("GET", "/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def switch_to_frame(self, element):
        self.cmd("POST", "/frame", {"id": {ELEMENT: element.id}})

    def switch_to_parent(self):
        self.cmd("POST", "/frame/parent", {})


class Element:
    def __init__(self, session, eid):
        self.s = session
        self.id = eid

    def click(self):
        self.s.cmd("POST", f"/element/{self.id}/click", {})
        return self

    def type(self, text):
        self.s.cmd("POST", f"/element/{self.id}/value", {"text": text})
        return self

    def clear(self):
        self.s.cmd("POST", f"/element/{self.id}/clear", {})
        return self

    @property
    def text(self):
        """The element's text content (WebDriver's rendered text is empty for rows the
        driver judges hidden, such as those of a virtualised list)."""
        return (self.prop("textContent") or "").strip()

    def attr(self, name):
        return self.s.cmd("GET", f"/element/{self.id}/attribute/{name}")

    def prop(self, name):
        return self.s.cmd("GET", f"/element/{self.id}/property/{name}")

    def find_all(self, css):
        found = self.s.cmd("POST", f"/element/{self.id}/elements",
                           {"using": "css selector", "value": css})
        return [Element(self.s, f[ELEMENT]) for f in found]

    def find(self, css):
        found = self.find_all(css)
        if not found:
            raise WebDriverError(f"no element matches {css} inside the element")
        return found[0]


def wait(probe, timeout, what):
    """Polls `probe` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except WebDriverError as e:
            last_error = e
        time.sleep(0.15)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}"
                         + (f" (last error: {last_error})" if last_error else ""))
