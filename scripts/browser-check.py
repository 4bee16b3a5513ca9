#!/usr/bin/env python3
"""Opens a report's index.html in headless Chromium and fails on what a reader would see broken.

    python3 scripts/browser-check.py reports/index.html [--screenshot reports/screenshot.png]

It drives Debian's chromium over the DevTools protocol (--remote-debugging-pipe, standard library only), loads the
page from disk with the network disabled, and checks:
  - no console error, no uncaught exception, no failed resource load (a Content-Security-Policy violation is an
    error too: the report runs no script and loads nothing from the network);
  - every <img> loaded, every inline chart is an <svg role="img"> with a <title>, every chart link (charts/*.png,
    charts/*.svg) names a file beside the page;
  - the page has the sections a reader expects (overview, scorecard, methods).
It saves a full-page screenshot and prints what it found. Exit code 0 when all is well, 1 on a failed check, 2 when
Chromium is not installed (install it with `apt-get install chromium`).
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--remote-debugging-pipe",
]


class Browser:
    """A Chromium process spoken to over fds 3 (commands) and 4 (replies and events), NUL-separated JSON."""

    def __init__(self, binary, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():
            # Duplicates first, so that fds already numbered 3 or 4 are not clobbered; dup2 makes 3 and 4
            # inheritable (Python opens pipes close-on-exec).
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "w"),
            preexec_fn=wire, close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)

    def drain(self, seconds):
        """Collects events for a little while (late console messages)."""
        deadline = time.time() + seconds
        os.set_blocking(self.from_chrome, False)
        try:
            while time.time() < deadline:
                try:
                    chunk = os.read(self.from_chrome, 1 << 16)
                except BlockingIOError:
                    time.sleep(0.05)
                    continue
                if not chunk:
                    break
                self.buf += chunk
                while b"\0" in self.buf:
                    msg, self.buf = self.buf.split(b"\0", 1)
                    self.events.append(json.loads(msg))
        finally:
            os.set_blocking(self.from_chrome, True)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


PAGE_FACTS = """JSON.stringify({
  brokenImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
  imagesWithoutAlt: [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.getAttribute('src')),
  charts: document.querySelectorAll('svg.chart').length,
  chartsWithoutTitle: [...document.querySelectorAll('svg.chart')].filter(s => !s.querySelector('title') || s.getAttribute('role') !== 'img').length,
  emptyCharts: [...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width < 50).length,
  sections: [...document.querySelectorAll('section[id]')].map(s => s.id),
  tablesWithoutHeaders: [...document.querySelectorAll('table')].filter(t => !t.querySelector('th')).length,
  scripts: document.scripts.length,
  javascriptLinks: [...document.querySelectorAll('[href],[src],[action],[formaction]')].filter(e => ['href','src','action','formaction'].some(a => /^\s*javascript:/i.test(e.getAttribute(a) || ''))).length,
  eventHandlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
  pwned: typeof window.__uptake_pwned !== 'undefined',
  height: document.documentElement.scrollHeight,
})"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page", help="the report's index.html")
    ap.add_argument("--screenshot", help="where to save the screenshot (default: beside the page)")
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    args = ap.parse_args()

    page = os.path.abspath(args.page)
    if not os.path.isfile(page):
        print(f"browser-check: {page} does not exist; run `uptake run` first", file=sys.stderr)
        return 1
    binary = shutil.which(args.chromium)
    if not binary:
        print(f"browser-check: {args.chromium} not found; install Debian's chromium (apt-get install chromium)",
              file=sys.stderr)
        return 2
    shot = os.path.abspath(args.screenshot or os.path.join(os.path.dirname(page), "screenshot.png"))
    problems = []

    # Chart links must name files beside the page (checked on disk: the page runs no script to ask).
    html = open(page, encoding="utf-8").read()
    for href in sorted(set(re.findall(r'href="(charts/[^"]+)"', html))):
        if not os.path.isfile(os.path.join(os.path.dirname(page), href)):
            problems.append(f"chart link {href} names no file")

    with tempfile.TemporaryDirectory(prefix="uptake-browser-") as profile:
        b = Browser(binary, profile)
        try:
            target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ["Page", "Runtime", "Log", "Network"]:
                b.send(f"{domain}.enable", session=session)
            b.send("Emulation.setDeviceMetricsOverride",
                   {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
            b.send("Network.emulateNetworkConditions",
                   {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
                   session=session)
            b.send("Page.navigate", {"url": "file://" + page}, session=session)
            b.wait_for("Page.loadEventFired", timeout=60)
            b.drain(1.0)
            facts = json.loads(b.send("Runtime.evaluate", {"expression": PAGE_FACTS, "returnByValue": True},
                                      session=session)["result"]["value"])
            height = min(int(facts["height"]), 30000)
            b.send("Emulation.setDeviceMetricsOverride",
                   {"width": 1200, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
            png = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                         session=session, timeout=120)
            with open(shot, "wb") as f:
                f.write(base64.b64decode(png["data"]))
        finally:
            b.close()

    for e in b.events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            problems.append("console error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                         for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            problems.append("uncaught exception: " + p.get("exceptionDetails", {}).get("text", ""))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            problems.append(f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        elif method == "Page.javascriptDialogOpening":
            problems.append(f"a script ran: it opened a {p.get('type')} dialog saying {p.get('message')!r}")
        elif method == "Network.loadingFailed" and not p.get("canceled"):
            problems.append(f"failed load: {p.get('errorText')} ({p.get('type')})")
    for src in facts["brokenImages"]:
        problems.append(f"image did not load: {src}")
    for src in facts["imagesWithoutAlt"]:
        problems.append(f"image without alt text: {src}")
    if facts["charts"] == 0:
        problems.append("no inline chart")
    if facts["chartsWithoutTitle"]:
        problems.append(f"{facts['chartsWithoutTitle']} chart(s) without role=img and a title")
    if facts["emptyCharts"]:
        problems.append(f"{facts['emptyCharts']} chart(s) drawn narrower than 50 px")
    if facts["tablesWithoutHeaders"]:
        problems.append(f"{facts['tablesWithoutHeaders']} table(s) without header cells")
    if facts["scripts"]:
        problems.append(f"{facts['scripts']} script element(s) in the page")
    if facts["javascriptLinks"]:
        problems.append(f"{facts['javascriptLinks']} javascript: link(s) in the page")
    if facts["eventHandlers"]:
        problems.append(f"{facts['eventHandlers']} element(s) with an on* event handler attribute")
    if facts["pwned"]:
        problems.append("a script from a document ran (window.__uptake_pwned is set)")
    for wanted in ["overview", "scorecard", "methods"]:
        if wanted not in facts["sections"]:
            problems.append(f"no section #{wanted}")

    print(f"browser-check: {page}: {facts['charts']} inline charts, {len(facts['sections'])} sections, "
          f"page {facts['height']} px tall; screenshot {shot} ({os.path.getsize(shot)} bytes)")
    for p in problems:
        print(f"  FAIL {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
