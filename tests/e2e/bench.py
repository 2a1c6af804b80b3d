"""Desktop benchmark: a 100,000-clipping library in the real app, beside an empty Tauri window.

Prints the time from launch to the first rows shown, the time from typing a one-word query to
its first results, and the app's memory (PSS and RSS summed over all its processes: the app,
WebKit's web and network processes) after scrolling through 5,000 rows. The empty window is
measured the same way, twice: as Tauri draws it by default, and drawn the way Clipbook chooses
on this machine (without a GPU, compositing off). Figures only: nothing here passes or fails on a
timing.

Usage (under xvfb-run; `make bench-app` does it):
  python3 tests/e2e/bench.py APP_BINARY EMPTY_WINDOW_BINARY CLI_BINARY [N]
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from run import free_port, tauri_driver, wait_port  # noqa: E402
from webdriver import Session, wait  # noqa: E402

WORDS = ("réseau serveurs enquête police europe justice gouvernement économie marché "
         "entreprise technologie données internet sécurité pirate abonnés chaîne football "
         "droits diffusion plateforme streaming utilisateurs opération millions euros pays "
         "ministre commission rapport tribunal accord travail santé climat énergie prix "
         "élection parlement réforme budget banque croissance emploi école université").split()
SITES = [("Le Monde", "lemonde.fr"), ("Numerama", "numerama.com"), ("BBC News", "bbc.co.uk"),
         ("Der Spiegel", "spiegel.de"), ("El País", "elpais.com"), ("Les Numériques", "lesnumeriques.com"),
         ("The Guardian", "theguardian.com"), ("Le Figaro", "lefigaro.fr")]
TAGS = ["piracy/iptv", "piracy/streaming", "europe", "justice", "tech/ai", "tech/security",
        "economy", "sport/football", "politics", "climate"]


def make_library(cli, path, n):
    rng = random.Random(7)
    jsonl = path + ".jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for i in range(n):
            site, host = SITES[i % len(SITES)]
            words = [rng.choice(WORDS) for _ in range(320)]
            paras = [" ".join(words[j:j + 40]) + "." for j in range(0, 320, 40)]
            f.write(json.dumps({
                "url": f"https://www.{host}/article/{i}",
                "title": " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" ({i})",
                "authors": ["Claire Martin"],
                "published": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "site_name": site,
                "language": "fr",
                "html": "".join(f"<p>{p}</p>" for p in paras),
                "tags": [TAGS[i % len(TAGS)]],
            }, ensure_ascii=False) + "\n")
    subprocess.run([cli, "--db", path, "import", jsonl], check=True, stdout=subprocess.DEVNULL)
    os.remove(jsonl)


def process_tree(root):
    """The pid and every descendant's."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def find_app(driver_pid, name):
    for pid in process_tree(driver_pid):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == name[:15]:
                    return pid
        except OSError:
            pass
    raise AssertionError(f"{name} is not running under tauri-driver")


def memory(root, label=None):
    """PSS and RSS in MB summed over the process tree; with a label, each process's PSS too."""
    pss = rss = 0
    for pid in process_tree(root):
        mine = 0
        try:
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        mine = int(line.split()[1])
                        pss += mine
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
        if label:
            print(f"    {label}: {name:<24} PSS {mine / 1024:7.0f} MB", flush=True)
    return pss / 1024, rss / 1024


class App:
    """The app started by tauri-driver, with its WebDriver session."""

    def __init__(self, binary, env, args=()):
        self.port, native = free_port(), free_port()
        self.driver = subprocess.Popen([tauri_driver(), "--port", str(self.port),
                                        "--native-port", str(native)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        wait_port(native)
        self.started = time.monotonic()
        self.session = Session(f"http://127.0.0.1:{self.port}",
                               {"browserName": "wry",
                                "tauri:options": {"application": binary, "args": list(args)}})
        self.pid = find_app(self.driver.pid, os.path.basename(binary))

    def close(self):
        self.session.quit()
        self.driver.terminate()
        self.driver.wait(10)


def measure_clipbook(binary, db):
    env = dict(os.environ, CLIPBOOK_DB=db)
    app = App(binary, env)
    s = app.session
    wait(lambda: s.script("return document.querySelectorAll('[data-testid=row]').length") > 0,
         60, "the first rows")
    first_rows = time.monotonic() - app.started
    time.sleep(2)
    at_start = memory(app.pid)
    # One-word search: from the input event to the first result rows with a snippet.
    # The UI marks when the first page was asked for and answered (User Timing): the answer's
    # time is the core and the IPC, the rest is rendering.
    search_ms, sent_ms, answered_ms = s.cmd("POST", "/execute/async", {"script": """
        const done = arguments[arguments.length - 1];
        const input = document.querySelector('[data-testid=search-input]');
        performance.clearMarks();
        const start = performance.now();
        input.value = 'abonnés';
        input.dispatchEvent(new Event('input', {bubbles: true}));
        const check = () => {
          if (document.querySelector('[data-testid=row-snippet] mark')) {
            const mark = (name) => {
              const m = performance.getEntriesByName(name)[0];
              return m ? m.startTime - start : -1;
            };
            done([performance.now() - start, mark('list-sent'), mark('list-answered')]);
          } else { requestAnimationFrame(check); }
        };
        check();""", "args": []})
    s.script("""const input = document.querySelector('[data-testid=search-input]');
        input.value = ''; input.dispatchEvent(new Event('input', {bubbles: true}));""")
    wait(lambda: not s.script("return document.querySelector('[data-testid=row-snippet]')"), 20,
         "the list back")
    # Scroll through 5,000 rows, letting each page load.
    rows_seen = s.cmd("POST", "/execute/async", {"script": """
        const done = arguments[arguments.length - 1];
        const list = document.querySelector('[data-testid=list]');
        const row = document.querySelector('[data-testid=row]');
        const h = row ? row.getBoundingClientRect().height : 64;
        let step = 0;
        const tick = () => {
          list.scrollTop += h * 25;
          step += 25;
          if (step >= 5000) { setTimeout(() => done(Math.round(list.scrollTop / h)), 1000); }
          else { setTimeout(tick, 16); }
        };
        tick();""", "args": []})
    time.sleep(2)
    pss, rss = memory(app.pid, "clipbook")
    app.close()
    return first_rows, (search_ms, sent_ms, answered_ms), rows_seen, pss, rss, at_start


def measure_empty(binary, like_clipbook=False):
    app = App(binary, dict(os.environ), ["--like-clipbook"] if like_clipbook else [])
    wait(lambda: app.session.script("return document.readyState") == "complete", 30, "the page")
    shown = time.monotonic() - app.started
    time.sleep(2)
    pss, rss = memory(app.pid, "empty window, drawn like Clipbook" if like_clipbook else "empty window")
    app.close()
    return shown, pss, rss


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    app, empty, cli = (os.path.abspath(a) for a in sys.argv[1:4])
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
    cache = os.environ.get("BENCH_DIR") or tempfile.gettempdir()
    db = os.path.join(cache, f"clipbook-bench-{n}.db")
    if not os.path.exists(db):
        print(f"building a library of {n} clippings (once; kept at {db})", flush=True)
        t = time.monotonic()
        make_library(cli, db, n)
        print(f"  imported in {time.monotonic() - t:.0f} s", flush=True)
    e_shown, e_pss, e_rss = measure_empty(empty)
    _, l_pss, l_rss = measure_empty(empty, like_clipbook=True)
    first, (search_ms, sent_ms, answered_ms), seen, pss, rss, at_start = measure_clipbook(app, db)
    print(f"desktop app, library of {n} clippings")
    print(f"  launch to first rows shown            {first * 1000:8.0f} ms   (empty window: page shown in {e_shown * 1000:.0f} ms)")
    print(f"  one-word search to first results      {search_ms:8.0f} ms   (input event to rows; the first keystroke after a pause searches at once)")
    print(f"    first page asked for after          {sent_ms:8.0f} ms   (from the input event)")
    print(f"    first page answered after           {answered_ms:8.0f} ms   (the core's first page through IPC; the rest is rendering)")
    print(f"  memory with the first rows shown      PSS {at_start[0]:6.0f} MB  RSS {at_start[1]:6.0f} MB")
    print(f"  memory after scrolling {seen:5d} rows     PSS {pss:6.0f} MB  RSS {rss:6.0f} MB")
    print(f"  empty Tauri 2 window                  PSS {e_pss:6.0f} MB  RSS {e_rss:6.0f} MB")
    print(f"  above the empty window                PSS {pss - e_pss:+6.0f} MB  RSS {rss - e_rss:+6.0f} MB")
    print(f"  empty window drawn like Clipbook      PSS {l_pss:6.0f} MB  RSS {l_rss:6.0f} MB   (compositing off without a GPU: src-tauri/src/rendering.rs)")
    print(f"  above that window                     PSS {pss - l_pss:+6.0f} MB  RSS {rss - l_rss:+6.0f} MB")


if __name__ == "__main__":
    main()
