#!/usr/bin/env python3
"""Save-to-reload-event latency of a running `coursegen serve`.

    python3 sse_latency.py --port PORT --src COURSE/src/lesson-0500.md --edits 15

Opens the live-reload event stream (/__coursegen/events) on 127.0.0.1, then
EDITS times: waits --settle seconds, appends one line to SRC and times until
`event: reload` arrives. Prints each latency and min/median/max in ms. SRC
gets its original bytes back at the end. Standard library only.
"""

import argparse
import socket
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--src", required=True, help="file to append to")
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()

    with open(a.src, "rb") as f:
        original = f.read()
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout)
    s.sendall(b"GET /__coursegen/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % a.port)
    buf = b""
    lat = []
    try:
        for k in range(a.edits):
            time.sleep(a.settle)
            buf = b""
            with open(a.src, "ab") as f:
                f.write(b"\nssemarker%d\n" % k)
            t0 = time.monotonic()
            while b"event: reload" not in buf:
                chunk = s.recv(65536)
                if not chunk:
                    sys.exit("the server closed the event stream")
                buf += chunk
            ms = (time.monotonic() - t0) * 1000.0
            lat.append(ms)
            print("edit %d: %.1f ms" % (k + 1, ms), flush=True)
    finally:
        with open(a.src, "wb") as f:
            f.write(original)
        s.close()
    print("save-to-reload-event ms: min %.1f  median %.1f  max %.1f  (n=%d)"
          % (min(lat), statistics.median(lat), max(lat), len(lat)))


if __name__ == "__main__":
    main()
