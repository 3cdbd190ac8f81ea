#!/usr/bin/env python3
"""Load for `rkt metadata-service` (bench/metadata.sh): registers a pod over the registration
socket (this process stays its registrant, so the pod stays registered while it runs), then
CLIENTS threads, each with its own connection, send RATE/CLIENTS requests a second each, paced
on a fixed schedule (a late request does not delay the next one's start time), for SECONDS
seconds: GET pod/uuid, pod/manifest, apps/APP/image/id and POST pod/hmac/sign in turn, with the
Metadata-Flavor header. Prints the rate achieved and the latency percentiles, measured from each
request's scheduled start (so a stalled server shows as latency, not as a lower rate).

usage: metadata-load.py SOCKET PORT RATE CLIENTS SECONDS keepalive|close"""
import http.client, json, secrets, socket, sys, threading, time, uuid

sock_path, port, rate, clients, seconds, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]

class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(sock_path)

pod, token, app = str(uuid.uuid4()), secrets.token_hex(16), "bench"
image_id = "sha512-" + "ab" * 32
manifest = json.dumps({"acVersion": "0.8.11", "acKind": "PodManifest",
                       "apps": [{"name": app, "image": {"name": "example.com/bench", "id": image_id}}],
                       "annotations": [{"name": "bench", "value": "metadata"}]})
image_manifest = json.dumps({"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/bench"})
registration = UnixConnection("localhost")
for path, body in ((f"/pods/{pod}?token={token}", manifest), (f"/pods/{pod}/{app}", image_manifest)):
    registration.request("PUT", path, body, {"Content-Type": "application/json"})
    answer = registration.getresponse()
    answer.read()
    assert answer.status == 200, f"PUT {path}: {answer.status}"

base = f"/{token}/acMetadata/v1"
requests = [("GET", f"{base}/pod/uuid", None), ("GET", f"{base}/pod/manifest", None),
            ("GET", f"{base}/apps/{app}/image/id", None), ("POST", f"{base}/pod/hmac/sign", "content=benchmark")]
headers = {"Metadata-Flavor": "AppContainer", "Content-Type": "application/x-www-form-urlencoded"}
interval = clients / rate
latencies, errors, lock = [], [0], threading.Lock()
start = time.monotonic() + 0.2

def client(index):
    connection = None
    own, failed = [], 0
    count = int(seconds / interval)
    for n in range(count):
        scheduled = start + (n + index / clients) * interval
        delay = scheduled - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        method, path, body = requests[(n + index) % len(requests)]
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request(method, path, body, headers)
            answer = connection.getresponse()
            answer.read()
            if answer.status != 200:
                failed += 1
        except Exception:
            failed += 1
            connection = None
        own.append(time.monotonic() - scheduled)
        if mode == "close" and connection is not None:
            connection.close()
            connection = None
    with lock:
        latencies.extend(own)
        errors[0] += failed

threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - start
latencies.sort()
def percentile(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
print(f"{mode}: {len(latencies)} requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s) from {clients} clients, "
      f"{errors[0]} errors; latency p50 {percentile(0.50):.2f} ms, p99 {percentile(0.99):.2f} ms, max {latencies[-1] * 1000:.2f} ms")
