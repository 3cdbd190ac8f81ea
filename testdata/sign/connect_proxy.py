#!/usr/bin/env python3
"""A tiny HTTPS proxy for key-discovery tests: tunnels every CONNECT to one local port.

    connect_proxy.py TARGET_PORT [--log FILE]

Discovery fetches https://PREFIX?ac-discovery=1 on port 443, which a test cannot bind safely
(other tests, other runs). With https_proxy pointing here, the client sends `CONNECT host:443`
and this proxy tunnels the connection to 127.0.0.1:TARGET_PORT (discovery_server.py with TLS);
TLS still runs end to end between the client and the test server, so certificate checks are
real. Binds 127.0.0.1 on a free port and prints it on the first line of standard output. Each
CONNECT target is appended to the log file. Anything but CONNECT gets 405.
"""
import os
import select
import signal
import socket
import socketserver
import sys


def main():
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    args = sys.argv[1:]
    target = int(args.pop(0))
    log = None
    while args:
        flag = args.pop(0)
        if flag == "--log":
            log = args.pop(0)
        else:
            sys.exit("unknown flag " + flag)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            client = self.request
            client.settimeout(30)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
                if len(head) > 65536:
                    return
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split()
            if log:
                with open(log, "a") as f:
                    f.write(request_line + "\n")
            if len(parts) < 2 or parts[0] != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            upstream = socket.create_connection(("127.0.0.1", target), timeout=30)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
            if rest:
                upstream.sendall(rest)
            sockets = [client, upstream]
            try:
                while True:
                    ready, _, _ = select.select(sockets, [], [], 30)
                    if not ready:
                        return
                    for s in ready:
                        data = s.recv(65536)
                        if not data:
                            return
                        (upstream if s is client else client).sendall(data)
            finally:
                upstream.close()

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
