#!/usr/bin/env python3
"""A tiny appc discovery web server for the end-to-end tests.

    discovery_server.py PAGES_DIR [--tls CERT KEY] [--log FILE]

Binds 127.0.0.1 on a free port (port 0) and prints the port on the first line of standard
output. A GET for /a/b (any query string) returns PAGES_DIR/a/b/index.html, / returns
PAGES_DIR/index.html; anything else is a 404. Each request line (path and query) is appended to
the log file, so tests can see which prefixes were tried and that ?ac-discovery=1 was sent.
"""
import http.server
import os
import signal
import ssl
import sys
import urllib.parse


def main():
    # Started from a test runner's worker thread, we may inherit a mask blocking SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    args = sys.argv[1:]
    pages = args.pop(0)
    cert = key = log = None
    while args:
        flag = args.pop(0)
        if flag == "--tls":
            cert, key = args.pop(0), args.pop(0)
        elif flag == "--log":
            log = args.pop(0)
        else:
            sys.exit("unknown flag " + flag)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if log:
                with open(log, "a") as f:
                    f.write(self.path + "\n")
            parts = [p for p in url.path.split("/") if p]
            if any(p in (".", "..") for p in parts):
                self.send_error(400)
                return
            page = os.path.join(pages, *parts, "index.html")
            if not os.path.isfile(page):
                self.send_error(404)
                return
            with open(page, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
