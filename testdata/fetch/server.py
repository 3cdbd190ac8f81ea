#!/usr/bin/env python3
"""An image server for the rkt fetch end-to-end tests: ACIs, signatures, discovery pages, caching
headers, resumable downloads, deferred signatures and hostile behaviours.

    server.py ROOT [--tls CERT KEY] [--log FILE] [--started FILE] [--rules FILE]

Binds 127.0.0.1 on a free port (port 0) and prints the port on the first line of standard output.

GET /a/b serves ROOT/a/b when it is a file, else ROOT/a/b/index.html (discovery pages: any query
string, such as ?ac-discovery=1, is ignored); anything else is a 404. Every response of a file
carries `ETag: "<sha256 of the content>"` and `Accept-Ranges: bytes`; `If-None-Match` with that
ETag gives 304; `Range: bytes=N-` gives 206 with the rest (unless `If-Range` names another ETag,
then 200 with everything), or 416 when N is not before the end.

Each request is appended to the log file as one JSON object per line, written when the response
is finished: method, path (with query), the request headers that matter (range, if-range,
if-none-match, authorization), the status and the number of body bytes sent. With --started, the
path of each request is also appended to that file (one line) as soon as the request has arrived,
so a test can wait for a request still being answered.

The rules file (JSON, read again at every request so a test can change it while the server runs)
maps a request path (without query) to how to answer it:
  "max_age": N          add `Cache-Control: max-age=N`
  "no_etag": true       send no ETag (and ignore If-None-Match / If-Range)
  "ignore_range": true  always answer 200 with the whole file
  "defer_until": PATH   answer 202 (empty) until PATH has been served completely once (Quay's
                        deferred signatures)
  "status": N           answer N with an empty body
  "redirect": URL       answer 302 with Location: URL
  "drop_after": N       send the headers (true Content-Length) and N bytes of the body, then close
  "drop_times": K       ... only for the first K requests of the path (default: always)
  "content_length": N   announce Content-Length: N whatever the body is; send the body, then close
  "rate": B             send the body at about B bytes per second (a slow server)
  "trickle": S          send the body one byte every S seconds (a server too slow to wait for)
  "endless": true       answer 200 without Content-Length and send zeros until the client leaves
  "hang": true          read the request and never answer (until the client leaves)
  "headers": {N: V}     add these headers to the response (with "status" too: a 401 challenge)
  "range_from": PATH    answer a Range request with 206 and the bytes of ROOT/PATH from the offset
                        asked, with PATH's ETag, whatever If-Range says (another file spliced in)
  "range_offset": N     answer a Range request with 206 from offset N instead of the one asked
"""
import hashlib
import json
import os
import signal
import socketserver
import ssl
import sys
import threading
import time
import http.server
import urllib.parse


def main():
    # Started from a test runner's worker thread, we may inherit a mask blocking SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    args = sys.argv[1:]
    root = args.pop(0)
    cert = key = log = started = rules_file = None
    while args:
        flag = args.pop(0)
        if flag == "--tls":
            cert, key = args.pop(0), args.pop(0)
        elif flag == "--log":
            log = args.pop(0)
        elif flag == "--started":
            started = args.pop(0)
        elif flag == "--rules":
            rules_file = args.pop(0)
        else:
            sys.exit("unknown flag " + flag)

    lock = threading.Lock()
    served_completely = set()
    request_counts = {}

    def rules_for(path):
        if not rules_file or not os.path.isfile(rules_file):
            return {}
        try:
            with open(rules_file) as f:
                return json.load(f).get(path, {})
        except (OSError, ValueError):
            return {}

    def write_log(entry):
        if not log:
            return
        with lock:
            with open(log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def note_started(path):
        if not started:
            return
        with lock:
            with open(started, "a") as f:
                f.write(path + "\n")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_HEAD(self):
            self.answer(head=True)

        def do_GET(self):
            self.answer(head=False)

        def answer(self, head):
            url = urllib.parse.urlsplit(self.path)
            entry = {
                "method": self.command,
                "path": self.path,
                "range": self.headers.get("Range"),
                "if_range": self.headers.get("If-Range"),
                "if_none_match": self.headers.get("If-None-Match"),
                "authorization": self.headers.get("Authorization"),
                "status": None,
                "sent": 0,
            }
            note_started(self.path)
            try:
                self.respond(url.path, head, entry)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                entry["error"] = "client went away"
            finally:
                write_log(entry)

        def simple(self, status, entry, headers=(), rules=None):
            entry["status"] = status
            self.send_response(status)
            for name, value in list(headers) + list((rules or {}).get("headers", {}).items()):
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def respond(self, path, head, entry):
            rules = rules_for(path)
            with lock:
                request_counts[path] = request_counts.get(path, 0) + 1
                count = request_counts[path]
            parts = [p for p in path.split("/") if p]
            if any(p in (".", "..") for p in parts):
                self.simple(400, entry)
                return
            if rules.get("hang"):
                self.wait_for_client_to_leave()
                return
            if rules.get("endless"):
                self.send_endlessly(entry)
                return
            if "status" in rules:
                self.simple(int(rules["status"]), entry, rules=rules)
                return
            if "redirect" in rules:
                self.simple(302, entry, [("Location", rules["redirect"])])
                return
            if "defer_until" in rules:
                with lock:
                    ready = rules["defer_until"] in served_completely
                if not ready:
                    self.simple(202, entry)
                    return
            file = os.path.join(root, *parts)
            if not os.path.isfile(file):
                file = os.path.join(root, *parts, "index.html")
            if not os.path.isfile(file):
                self.simple(404, entry)
                return
            with open(file, "rb") as f:
                body = f.read()
            etag = None if rules.get("no_etag") else '"%s"' % hashlib.sha256(body).hexdigest()
            if etag and self.headers.get("If-None-Match") == etag:
                self.simple(304, entry, [("ETag", etag)])
                return
            status, start = 200, 0
            requested = self.headers.get("Range")
            if_range = self.headers.get("If-Range")
            if requested and ("range_from" in rules or "range_offset" in rules):
                if "range_from" in rules:
                    with open(os.path.join(root, *[p for p in rules["range_from"].split("/") if p]), "rb") as f:
                        body = f.read()
                    etag = '"%s"' % hashlib.sha256(body).hexdigest()
                    start = int(requested[len("bytes="):].split("-", 1)[0])
                else:
                    start = int(rules["range_offset"])
                status = 206
            elif (requested and requested.startswith("bytes=") and not rules.get("ignore_range")
                    and (if_range is None or (etag is not None and if_range == etag))):
                first = requested[len("bytes="):].split("-", 1)[0]
                if first.isdigit() and int(first) >= len(body):
                    self.simple(416, entry, [("Content-Range", "bytes */%d" % len(body))])
                    return
                if first.isdigit():
                    status, start = 206, int(first)
            payload = body[start:]
            entry["status"] = status
            self.send_response(status)
            ctype = "text/html; charset=utf-8" if file.endswith(".html") else "application/octet-stream"
            self.send_header("Content-Type", ctype)
            length = rules.get("content_length", len(payload))
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            if etag:
                self.send_header("ETag", etag)
            if "max_age" in rules:
                self.send_header("Cache-Control", "max-age=%d" % int(rules["max_age"]))
            for name, value in rules.get("headers", {}).items():
                self.send_header(name, value)
            if status == 206:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))
            lying = "content_length" in rules
            dropping = "drop_after" in rules and count <= int(rules.get("drop_times", 1 << 30))
            if lying or dropping:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if head:
                return
            if dropping:
                payload = payload[: int(rules["drop_after"])]
            rate = rules.get("rate")
            trickle = rules.get("trickle")
            chunk = 1 if trickle else 65536 if not rate else max(1024, int(rate) // 20)
            for offset in range(0, len(payload), chunk):
                piece = payload[offset:offset + chunk]
                self.wfile.write(piece)
                entry["sent"] += len(piece)
                if rate or trickle:
                    self.wfile.flush()
                    time.sleep(float(trickle) if trickle else len(piece) / float(rate))
            self.wfile.flush()
            if dropping:
                entry["dropped"] = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return
            if start + entry["sent"] == len(body):
                with lock:
                    served_completely.add(path)

        def wait_for_client_to_leave(self):
            self.close_connection = True
            while self.connection.recv(65536):
                pass

        def send_endlessly(self, entry):
            entry["status"] = 200
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            zeros = bytes(65536)
            while True:
                self.wfile.write(zeros)
                entry["sent"] += len(zeros)

        def log_message(self, *_):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
