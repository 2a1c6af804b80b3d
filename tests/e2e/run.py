"""End-to-end test of the desktop app: the real built app under Xvfb, driven over WebDriver
(tauri-driver + WebKitWebDriver), against pages served on 127.0.0.1.

Starts from an empty library; clips two articles and a hostile page; sees them in the list;
searches; opens one in the reader; adds and renames a tag; makes a collection; exports it to
PDF and Markdown and checks the files; checks that the hostile page ran nothing; sees a clipping
made with the CLI appear; pairs a browser extension through the app's bridge (the code shown in
the app), clips a page as a browser would send it, revokes the pairing and allows a site for the
bookmarklet in the settings. Screenshots of
the main views go to $E2E_OUT (default: target/e2e) for the README.

Usage: python3 tests/e2e/run.py PATH_TO_APP_BINARY   (under xvfb-run; `make e2e` does it)
"""

import http.client
import http.server
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(__file__))
from webdriver import CONTROL, ENTER, Session, wait  # noqa: E402

APP = None  # the app's binary; the CLI is beside it
BRIDGE_PORT = None  # where the app's browser bridge listens
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def png(width, height):
    """A small gradient PNG: the articles' figure."""
    rows = b"".join(
        b"\x00" + bytes(c for x in range(width)
                        for c in (40 + x * 150 // width, 90 + y * 100 // height, 160))
        for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


FIGURE = png(480, 300)

PARAGRAPHS_FR = [
    "Une opération coordonnée par Eurojust a permis de démanteler l'un des plus vastes réseaux "
    "de diffusion illégale de chaînes payantes en Europe, revendiquant deux millions d'abonnés.",
    "Les enquêteurs de douze pays ont saisi 5500 serveurs et plusieurs noms de domaine, "
    "et interpellé les principaux administrateurs du service au terme de deux ans d'enquête.",
    "Les revendeurs encaissaient chaque mois des abonnements dont le produit était ensuite "
    "blanchi au moyen de sociétés écrans établies dans plusieurs pays de l'Union.",
]
PARAGRAPHS_EN = [
    "Regulators in Brussels opened a formal inquiry into the way the largest streaming platforms "
    "rank news content, after complaints from publishers across the continent.",
    "The investigation will examine whether recommendation systems favour partners over "
    "independent outlets, and how quickly takedown requests are handled.",
    "Officials said they expect preliminary findings within a year and urged platforms to "
    "publish the criteria their ranking systems use.",
]


def article(title, lang, author, date, paragraphs, extra=""):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} - Le Quotidien du Test</title>
<meta property="og:site_name" content="Le Quotidien du Test">
<meta property="og:image" content="/img/figure.png">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}">
</head><body>
<div class="cookie-banner">Nous utilisons des cookies. <button>Accepter</button></div>
<nav><a href="/">Accueil</a> <a href="/tech">Tech</a></nav>
<article><h1>{title}</h1>
<p class="byline">Par {author}</p>
{body}
<figure><img src="/img/figure.png" alt="Salle de serveurs"><figcaption>Une salle de serveurs.</figcaption></figure>
{extra}
</article>
<aside><h3>À lire aussi</h3><ul><li><a href="/autre">Un autre article</a></li></ul></aside>
<footer>© Le Quotidien du Test</footer></body></html>"""


class Fixtures:
    """The pages the test clips, and a record of requests a hostile page would make."""

    def __init__(self):
        self.pwned = []
        # Every request, in order: once clipping is over, the app must not touch the network.
        self.requests = []
        fixtures = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                fixtures.requests.append(self.path)
                if path.startswith("/pwned-image"):
                    # An image of the article: the clipper downloads it for the offline copy.
                    return self.send(200, "image/png", FIGURE)
                if path.startswith("/pwned"):
                    fixtures.pwned.append(self.path)
                    return self.send(204, "text/plain", b"")
                pages = fixtures.pages()
                if path in pages:
                    return self.send(200, "text/html; charset=utf-8", pages[path].encode())
                if path == "/img/figure.png":
                    return self.send(200, "image/png", FIGURE)
                self.send(404, "text/html", b"<p>not found</p>")

            def send(self, status, kind, body):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def pages(self):
        pwn = self.url("/pwned")
        hostile = f"""
<script>window.top.__pwned = "script"; fetch("{pwn}?script");</script>
<p>Ce paragraphe contient une image piégée <img src="/nope.png" onerror="window.top.__pwned='onerror';fetch('{pwn}?onerror')">
et un <a href="javascript:fetch('{pwn}?js')">lien piégé</a>.</p>
<iframe src="{pwn}?iframe"></iframe><object data="{pwn}?object"></object>
<svg onload="fetch('{pwn}?svg')"><circle r="4"></circle></svg>
<img src="x" srcset="{pwn}-image?srcset 2x">
<form action="{pwn}?form"><input name="q" autofocus onfocus="fetch('{pwn}?focus')"></form>
<style>body {{ background: url("{pwn}?css"); }}</style>
<p style="background-image: url('{pwn}?style')">Un dernier paragraphe avec un style piégé.</p>"""
        return {
            "/iptv": article("IPTV : un vaste réseau européen démantelé, 5500 serveurs mis hors service",
                             "fr", "David Igue", "2020-11-12T10:31:00+01:00", PARAGRAPHS_FR),
            "/streaming": article("Brussels opens inquiry into how platforms rank the news",
                                  "en", "Jane Doe", "2021-03-04T08:00:00+00:00", PARAGRAPHS_EN),
            "/cli": article("Le Conseil d'État valide le blocage des sites de streaming illicites",
                            "fr", "Claire Martin", "2023-06-02T07:45:00+02:00", PARAGRAPHS_FR[1:]),
            "/import": article("Les ayants droit obtiennent le blocage de nouveaux sites pirates",
                               "fr", "Claire Martin", "2023-09-14T07:00:00+02:00",
                               PARAGRAPHS_FR[:3]),
            "/piege": article("Une page piégée pour tester la sécurité du lecteur", "fr",
                              "Mallory Test", "2022-01-05T09:00:00+01:00",
                              PARAGRAPHS_FR[:2], extra=hostile),
        }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


def tauri_driver():
    for candidate in (os.environ.get("TAURI_DRIVER"), shutil.which("tauri-driver"),
                      os.path.expanduser("~/.cache/clipbook/tools/bin/tauri-driver")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise SystemExit("e2e: tauri-driver is missing (make setup installs it)")


class Step:
    """Prints each step as it runs, so a failure says where it happened."""

    def __init__(self):
        self.n = 0

    def __call__(self, text):
        self.n += 1
        print(f"e2e {self.n:2d}. {text}", flush=True)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    global APP
    app = APP = os.path.abspath(sys.argv[1])
    if not os.environ.get("DISPLAY"):
        raise SystemExit("e2e: no X display: run under xvfb-run (make e2e does)")
    out = os.environ.get("E2E_OUT") or os.path.join(ROOT, "target", "e2e")
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="clipbook-e2e-")
    fixtures = Fixtures()
    port, native = free_port(), free_port()
    global BRIDGE_PORT
    BRIDGE_PORT = free_port()
    env = dict(os.environ, CLIPBOOK_DB=os.path.join(work, "library.db"),
               XDG_DATA_HOME=os.path.join(work, "data"), LANG="en_US.UTF-8",
               CLIPBOOK_BRIDGE_PORT=str(BRIDGE_PORT))
    log = open(os.path.join(out, "tauri-driver.log"), "w")
    driver = subprocess.Popen([tauri_driver(), "--port", str(port), "--native-port", str(native)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    session = None
    try:
        # tauri-driver listens before WebKitWebDriver is up: wait for both.
        wait_port(port)
        wait_port(native)
        session = Session(f"http://127.0.0.1:{port}",
                          {"browserName": "wry", "tauri:options": {"application": app}})
        scenario(session, fixtures, work, out)
        print("e2e: passed", flush=True)
    except BaseException:
        if session is not None:
            try:
                session.screenshot(os.path.join(out, "failure.png"))
            except Exception:
                pass
        raise
    finally:
        if session is not None:
            session.quit()
        driver.terminate()
        try:
            driver.wait(10)
        except subprocess.TimeoutExpired:
            driver.kill()
        shutil.rmtree(work, ignore_errors=True)


def bridge(method, path, body=None, token=None, origin=EXTENSION):
    """A request to the app's browser bridge, as the extension (or a bookmarklet) sends it."""
    conn = http.client.HTTPConnection("127.0.0.1", BRIDGE_PORT, timeout=30)
    headers = {"Origin": origin, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, json.loads(data or b"null")


def tid(name, extra=""):
    return f'[data-testid="{name}"]{extra}'


def rows(s):
    return s.find_all(tid("row"))


def settle(seconds=0.4):
    # A screenshot right after an assertion can show the previous paint.
    time.sleep(seconds)


def scenario(s, fx, work, out):
    step = Step()
    shot = lambda name: (settle(), s.screenshot(os.path.join(out, f"{name}.png")))  # noqa: E731

    step("the app starts on an empty library")
    wait(lambda: s.script("return document.documentElement.dataset.ready") == "1", 30,
         "the first list page")
    assert rows(s) == [], "a new library is empty"
    title_before = s.script("return document.title")

    step("clip two articles and a hostile page from the local server")
    s.find(tid("clip-open")).click()
    urls = [fx.url("/iptv"), fx.url("/streaming"), fx.url("/piege")]
    # WebKitWebDriver drops "\n" in typed text: Enter makes the new lines.
    s.wait_for(tid("clip-urls")).type(ENTER.join(urls))
    s.find(tid("clip-submit")).click()

    def all_added():
        items = s.find_all(tid("clip-item"))
        states = [i.attr("data-state") for i in items]
        assert "failed" not in states, [i.text for i in items]
        return len(items) == 3 and all(st == "added" for st in states)

    wait(all_added, 60, "the three addresses to be clipped")
    clipped = len(fx.requests)
    shot("clip")
    s.find(tid("clip-close")).click()

    step("they appear in the list")
    wait(lambda: len(rows(s)) == 3, 20, "three rows")
    titles = [r.find(tid("row-title")).text for r in rows(s)]
    assert any("IPTV" in t for t in titles), titles
    shot("library")

    step("search as you type, with highlighted snippets")
    search = s.find(tid("search-input")).click()
    search.type("démantelé")
    wait(lambda: len(rows(s)) == 1, 15, "one search result")
    snippet = rows(s)[0].find(tid("row-snippet"))
    assert "<mark>" in snippet.prop("innerHTML"), snippet.prop("innerHTML")
    shot("search")
    search.clear()
    search.type(" ")
    search.type("\ue003")  # backspace: an input event with an empty query
    wait(lambda: len(rows(s)) == 3, 15, "the whole list again")

    step("open the French article in the reader")
    iptv = next(r for r in rows(s) if "IPTV" in r.find(tid("row-title")).text)
    iptv.click()
    title = s.wait_for(tid("reader-title"))
    wait(lambda: "IPTV" in (title.prop("value") or ""), 15, "the reader's title")
    frame = s.find(tid("reader-frame"))
    assert frame.attr("sandbox") == "", f"sandbox={frame.attr('sandbox')!r}"
    s.switch_to_frame(frame)
    body = wait(lambda: s.find("article").text, 15, "the article in the frame")
    s.switch_to_parent()
    assert "5500 serveurs" in body, body
    assert "cookies" not in body and "lire aussi" not in body, body
    shot("reader")

    step("add a nested tag in the reader")
    s.find(tid("reader-tag-input")).click().type("piracy/iptv" + ENTER)
    s.wait_for(tid("reader-tag", '[data-tag="piracy/iptv"]'))
    s.wait_for(tid("tag-item", '[data-tag="piracy"]'))

    step("rename the tag from the sidebar")
    # The ⋯ button beside the tag (shown on hover: clicked from script).
    s.script("""document.querySelector('[data-testid="tag-item"][data-tag="piracy"]')
        .parentElement.querySelector('[data-testid="tag-menu"]').click()""")
    s.wait_for(tid("tag-action-rename")).click()
    # The field opens with the name selected: typing replaces it (WebDriver's "clear" would
    # blur the field, which ends the rename).
    s.wait_for(tid("tag-rename-input")).type("piratage" + ENTER)
    s.wait_for(tid("tag-item", '[data-tag="piratage"]'))
    s.wait_for(tid("reader-tag", '[data-tag="piratage/iptv"]'))
    assert not s.find_all(tid("tag-item", '[data-tag="piracy"]'))

    step("make a collection of every clipping")
    s.find(tid("collection-new")).click()
    s.wait_for(tid("collection-name-input")).type("Revue du jour" + ENTER)
    s.wait_for(tid("collection-item", '[data-name="Revue du jour"]'))
    rows(s)[0].click()
    s.script("""arguments[0].dispatchEvent(new KeyboardEvent('keydown',
        {key: 'a', ctrlKey: true, bubbles: true}))""", {"element-6066-11e4-a52e-4f735466cecf": s.find(tid("list")).id})
    wait(lambda: len(s.find_all(tid("row", ".selected"))) == 3, 10, "three rows selected")
    s.wait_for(tid("bulk-collection")).click()
    s.wait_for(tid("bulk-collection-option", '[data-name="Revue du jour"]')).click()
    s.find(tid("collection-item", '[data-name="Revue du jour"]')).click()
    wait(lambda: len(rows(s)) == 3, 15, "the collection's three clippings")

    def export(fmt, path):
        s.find(tid("export-open")).click()
        s.wait_for(tid("export-selection"))
        s.find(tid("export-selection", ' option[value="collection:Revue du jour"]')).click()
        s.find(tid("export-format", f' option[value="{fmt}"]')).click()
        field = s.find(tid("export-path"))
        field.clear()
        field.type(path)
        s.find(tid("export-submit")).click()
        status = s.wait_for(tid("export-status"))
        wait(lambda: status.attr("data-state") in ("done", "failed"), 120, f"the {fmt} export")
        assert status.attr("data-state") == "done", status.text

    step("export the collection to PDF")
    pdf = os.path.join(work, "revue.pdf")
    export("pdf", pdf)
    shot("export")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "IPTV" in text and "Brussels" in text, text[:500]
    s.script("document.querySelector('[data-testid=\"export-status\"]')"
             ".closest('dialog,[role=dialog]')?.querySelector('[data-testid=\"export-close\"]')?.click()")
    s.script("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")

    step("export the collection to Markdown")
    md = os.path.join(work, "revue.md")
    export("markdown", md)
    with open(md, encoding="utf-8") as f:
        markdown = f.read()
    assert "# IPTV : un vaste réseau européen démantelé" in markdown, markdown[:800]
    assert "Brussels opens inquiry" in markdown
    s.script("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")

    step("the hostile page, opened in the reader, runs nothing")
    settle()
    piege = next(r for r in rows(s) if "piégée" in r.find(tid("row-title")).text)
    piege.click()
    wait(lambda: "piégée" in (s.find(tid("reader-title")).prop("value") or ""), 15,
         "the hostile page in the reader")
    frame = s.find(tid("reader-frame"))
    s.switch_to_frame(frame)
    body = wait(lambda: s.find("article").text, 15, "the hostile article")
    s.switch_to_parent()
    assert "dernier paragraphe" in body, body
    time.sleep(1.5)
    assert s.script("return window.__pwned === undefined") is True, "a script ran in the app"
    assert s.script("return document.title") == title_before
    assert fx.pwned == [], f"the hostile page reached the network: {fx.pwned}"
    assert fx.requests[clipped:] == [], f"the reader went online: {fx.requests[clipped:]}"
    shot("hostile")

    step("a clipping added with the CLI on the same library shows up by itself")
    cli = os.path.join(os.path.dirname(APP), "clipbook")
    subprocess.run([cli, "--db", os.path.join(work, "library.db"), "add", fx.url("/cli")],
                   check=True, capture_output=True)
    s.find(tid("sidebar-all")).click()
    wait(lambda: any("Conseil d'État" in r.find(tid("row-title")).text for r in rows(s)), 15,
         "the CLI's clipping in the list")

    step("import a bookmark file from the app: new pages fetched, known ones only tagged")
    bookmarks = os.path.join(work, "bookmarks.html")
    with open(bookmarks, "w", encoding="utf-8") as f:
        f.write(f"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1>
<DL><p><DT><H3>Veille</H3>
<DL><p>
<DT><A HREF="{fx.url('/import')}" ADD_DATE="1694674800">Blocage</A>
<DT><A HREF="{fx.url('/iptv')}" ADD_DATE="1605168000">IPTV</A>
<DT><A HREF="ftp://nope.example/x">Not a web page</A>
</DL><p></DL><p>""")
    s.find(tid("import-open")).click()
    s.wait_for(tid("import-format", ' option[value="netscape"]')).click()
    s.find(tid("import-path")).click().type(bookmarks)
    s.find(tid("import-submit")).click()
    status = s.wait_for(tid("import-status"))
    wait(lambda: status.attr("data-state") in ("done", "failed"), 60, "the import")
    assert status.attr("data-state") == "done", status.text
    assert "1 fetched, 1 already there" in status.text, status.text
    assert "Not a web page" in s.find(tid("import-issues")).text, s.find(tid("import-issues")).text
    shot("import")
    s.script("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")
    wait(lambda: any("blocage de nouveaux" in r.find(tid("row-title")).text for r in rows(s)), 15,
         "the imported clipping in the list")
    s.wait_for(tid("tag-item", '[data-tag="Veille"]'))

    step("a browser extension pairs, then clips the page it shows (a paywalled one)")
    status, asked = bridge("POST", "/pair", {"name": "Clipbook for Chromium"})
    assert status == 201, asked
    dialog = s.wait_for(tid("pairing-dialog"))
    code = "".join(ch for ch in s.find(tid("pairing-code")).text if ch.isdigit())
    assert code == asked["code"], (code, asked)
    assert EXTENSION in s.find(tid("pairing-origin")).text
    assert dialog is not None
    shot("pairing")
    s.find(tid("pairing-accept")).click()
    status, answer = bridge("GET", f"/pair/{asked['request']}")
    assert status == 200 and answer["status"] == "accepted", answer
    paywalled = article("Réservé aux abonnés : la justice ordonne le blocage de 200 sites",
                        "fr", "Claire Martin", "2024-02-01T06:00:00+01:00", PARAGRAPHS_FR[2:])
    status, clipped = bridge("POST", "/clip", {
        "url": fx.url("/2024/02/01/abonnes-blocage"), "html": paywalled,
        "title": "Réservé aux abonnés", "tags": ["presse/abonnés"]}, token=answer["token"])
    assert status == 200 and clipped["created"], clipped
    wait(lambda: any("Réservé aux abonnés" in r.find(tid("row-title")).text for r in rows(s)),
         15, "the browser's clipping in the list")
    s.wait_for(tid("tag-item", '[data-tag="presse/abonnés"]'))
    status, refused = bridge("POST", "/clip", {"url": fx.url("/x"), "html": paywalled},
                             token="not-the-token")
    assert status == 401, (status, refused)

    step("the paired browser is listed in the settings, and can be disconnected")
    s.find(tid("settings-open")).click()
    item = s.wait_for(tid("bridge-paired"))
    assert "Clipbook for Chromium" in item.text, item.text
    assert str(BRIDGE_PORT) in s.find(tid("bridge-port")).text
    shot("settings")
    s.find(tid("bridge-revoke")).click()
    wait(lambda: not s.find_all(tid("bridge-paired")), 10, "the pairing to be revoked")
    site = "https://news.example"
    status, _ = bridge("POST", "/pair", {"name": "bookmarklet"}, origin=site)
    assert status == 403, "a web page may not pair until its site is allowed"
    s.find(tid("bridge-sites")).click().type(site + "/some/article")
    s.find(tid("bridge-sites-save")).click()
    wait(lambda: s.find(tid("bridge-sites")).prop("value") == site, 10, "the site saved as an origin")
    status, asked = bridge("POST", "/pair", {"name": "bookmarklet"}, origin=site)
    assert status == 201, asked
    s.wait_for(tid("pairing-refuse")).click()
    status, _ = bridge("POST", "/clip", {"url": fx.url("/abonnes-autre"), "html": paywalled},
                       token=answer["token"])
    assert status in (401, 403), status
    s.script("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")

    step("the dark theme")
    s.find(tid("settings-open")).click()
    s.wait_for(tid("settings-theme", ' option[value="dark"]')).click()
    s.script("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")
    # The "clipped from the browser" notice sits over the list's last rows for a few seconds.
    wait(lambda: not s.find_all(tid("toast")), 15, "the notices to go")
    iptv = next(r for r in rows(s) if "IPTV" in r.find(tid("row-title")).text)
    iptv.click()
    shot("reader-dark")


if __name__ == "__main__":
    main()
