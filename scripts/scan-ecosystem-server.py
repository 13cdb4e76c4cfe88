#!/usr/bin/env python3
"""One loopback HTTP server for a whole module ecosystem (scripts/scan-e2e.sh, scripts/bench-scan.sh).

  /index?since=T&limit=N   the module index feed (index.golang.org's format): JSON lines
                           {"Path","Version","Timestamp"} from FEED (a JSON-lines file, sorted by
                           Timestamp), entries with Timestamp >= since, at most limit (default 2000)
  /proxy/...               a GOPROXY tree (files under PROXY, e.g. a module cache's cache/download)
  /git/<owner>/<repo>.git/ git smart HTTP through `git http-backend` (GIT_PROJECT_ROOT=GITROOT)
  any path with ?go-get=1  a go-import page: <host>/<owner>/<repo> git http://<host>/git/<owner>/<repo>.git
                           when GITROOT/<owner>/<repo>.git exists, else 404

Usage: scan-ecosystem-server.py PORT FEED PROXY GITROOT [LATENCY_MS]
Every answer waits LATENCY_MS first (the benchmark's injected latency). Requests are counted per
kind (index, proxy, go-get, git) and the counts served as JSON at /stats.
"""
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

PORT, FEED, PROXY, GITROOT = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
LATENCY = (float(sys.argv[5]) if len(sys.argv) > 5 else 0.0) / 1000.0
GIT_BACKEND = os.path.join(subprocess.check_output(["git", "--exec-path"], text=True).strip(), "git-http-backend")
stats_lock = threading.Lock()
stats = {}
feed_cache = {"mtime": None, "entries": []}


def count(kind):
    with stats_lock:
        stats[kind] = stats.get(kind, 0) + 1


def feed_entries():
    st = os.stat(FEED)
    if feed_cache["mtime"] != st.st_mtime:
        with open(FEED) as f:
            feed_cache["entries"] = [json.loads(l) for l in f if l.strip()]
        feed_cache["mtime"] = st.st_mtime
    return feed_cache["entries"]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="text/plain; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        if LATENCY:
            time.sleep(LATENCY)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = urllib.parse.unquote(url.path)
        if path == "/stats":
            with stats_lock:
                return self.send(200, json.dumps(stats, sort_keys=True).encode())
        if path.startswith("/git/"):
            count("git")
            return self.git(url)
        if query.get("go-get") == ["1"]:
            count("go-get")
            parts = path.strip("/").split("/")
            if len(parts) >= 2 and os.path.isdir(os.path.join(GITROOT, parts[0], parts[1] + ".git")):
                host = self.headers.get("Host", "example.test").split(":")[0]
                prefix = "%s/%s/%s" % (host, parts[0], parts[1])
                body = ('<html><head><meta name="go-import" content="%s git http://%s/git/%s/%s.git"></head></html>\n'
                        % (prefix, host, parts[0], parts[1])).encode()
                return self.send(200, body, "text/html; charset=utf-8")
            return self.send(404, b"no such repository\n")
        if path == "/index":
            count("index")
            since = query.get("since", [""])[0]
            limit = int(query.get("limit", ["2000"])[0])
            out = [e for e in feed_entries() if e["Timestamp"] >= since][:limit]
            return self.send(200, "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in out).encode(),
                             "application/json")
        if path.startswith("/proxy/"):
            count("proxy")
            rel = os.path.normpath(path[len("/proxy/"):])
            if rel.startswith("..") or rel.startswith("/"):
                return self.send(404, b"not found\n")
            file = os.path.join(PROXY, rel)
            if os.path.isfile(file):
                with open(file, "rb") as f:
                    return self.send(200, f.read(), "application/octet-stream")
            return self.send(404, b"not found\n")
        return self.send(404, b"not found\n")

    def git(self, url):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": GITROOT,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": urllib.parse.unquote(url.path[len("/git"):]),
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": os.environ.get("HOME", "/tmp"),
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        p = subprocess.run([GIT_BACKEND], input=body, capture_output=True, env=env)
        raw = p.stdout
        sep = raw.find(b"\r\n\r\n")
        seplen = 4
        if sep < 0:
            sep, seplen = raw.find(b"\n\n"), 2
        if sep < 0:
            return self.send(500, b"git http-backend failed\n" + p.stderr)
        status, headers = 200, []
        for line in raw[:sep].replace(b"\r\n", b"\n").split(b"\n"):
            k, _, v = line.decode("latin-1").partition(":")
            v = v.strip()
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k.lower() not in ("content-length",):
                headers.append((k, v))
        out = raw[sep + seplen:]
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512


signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
Server(("127.0.0.1", PORT), Handler).serve_forever()
