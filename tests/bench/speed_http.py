"""HTTP load for tests/bench/speed.py: the production server and concurrent clients.

:func:`start_server` runs ``fahras-web`` (waitress) on 127.0.0.1 with a free port, in a
process of its own; :func:`run_load` sends ``clients`` concurrent keep-alive connections of
GET requests, cycling through a list of paths, for ``seconds`` from another process: ``wrk``
when it is installed (Debian: ``apt-get install -y wrk``), else this module run as a script
(threads and ``http.client``). Traffic goes to the loopback address only, and every run is
bounded in time.

``python tests/bench/speed_http.py PORT PATHS_FILE CLIENTS SECONDS`` is that fallback client; it
prints one line ``LOAD {...}`` (JSON) like the wrk script does.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from speed_tasks import percentile

HOST = "127.0.0.1"

#: wrk's Lua side: cycle through the paths (each thread from its own offset), report JSON.
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("FAHRAS_BENCH_PATHS")) do paths[#paths + 1] = line end
local made = 0
function setup(thread)
  thread:set("offset", made * 101)
  made = made + 1
end
local i = 0
function init(args) i = offset or 0 end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "seconds": %f, "errors": %d, "non_2xx": %d, '
    .. '"p50_ms": %f, "p99_ms": %f, "max_ms": %f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


class Server:
    """A running ``fahras-web``; use as a context manager to stop it."""

    def __init__(self, index_dir: Path, threads: int, cwd: Path,
                 workers: int | None = None) -> None:
        code = "import sys; from web.cli import main; sys.exit(main())"
        self.threads = threads
        self.workers = workers or os.cpu_count() or 1  # fahras-web's default: one per core
        extra = ["--workers", str(workers)] if workers else []
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "--host", HOST, "--port", "0",
             "--index-dir", str(index_dir), "--threads", str(threads), *extra],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.port = self._wait_for_address()

    def _wait_for_address(self) -> int:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                threading.Thread(target=self.process.stdout.read, daemon=True).start()
                return int(found.group(1))
        self.stop()
        raise RuntimeError("fahras-web did not start:\n" + "".join(lines))

    def memory(self) -> dict:
        """RSS and peak RSS (MiB) of the largest serving process (the server or one of its
        workers), and the RSS of them all together."""
        pid = self.process.pid
        pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        rss, peak = [], []
        for one in pids:
            status = Path(f"/proc/{one}/status").read_text()
            values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
            rss.append(int(values["VmRSS"]) / 1024)
            peak.append(int(values["VmHWM"]) / 1024)
        return {"rss_mb": max(rss), "peak_rss_mb": max(peak), "total_rss_mb": sum(rss),
                "processes": len(pids)}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_load(port: int, paths_file: Path, clients: int, seconds: float) -> dict:
    """Load figures of ``clients`` connections for ``seconds``: requests, rps, p50/p99, errors."""
    wrk = shutil.which("wrk")
    if wrk:
        script = paths_file.with_suffix(".lua")
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        command = [wrk, "-t", "2", "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "10s",
                   "-s", str(script), f"http://{HOST}:{port}/"]
        tool = "wrk"
    else:
        command = [sys.executable, __file__, str(port), str(paths_file), str(clients),
                   str(seconds)]
        tool = "python"
    env = {**os.environ, "FAHRAS_BENCH_PATHS": str(paths_file)}
    done = subprocess.run(command, capture_output=True, text=True, env=env,
                          timeout=seconds + 120, check=False)
    found = re.search(r"^LOAD (\{.*\})$", done.stdout, re.M)
    if not found:
        raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stdout}{done.stderr}")
    result = json.loads(found.group(1))
    result["tool"] = tool
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


# ------------------------------------------------------------------ the fallback client


def _client(port: int, paths: list[str], offset: int, deadline: float, out: dict) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    i = offset
    while time.monotonic() < deadline:
        i += 1
        started = time.perf_counter()
        try:
            connection.request("GET", paths[i % len(paths)])
            response = connection.getresponse()
            response.read()
            out["latencies"].append((time.perf_counter() - started) * 1000)
            if not 200 <= response.status < 400:
                out["non_2xx"] += 1
        except (OSError, http.client.HTTPException):
            out["errors"] += 1
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
    connection.close()


def python_load(port: int, paths_file: Path, clients: int, seconds: float) -> dict:
    paths = paths_file.read_text(encoding="utf-8").splitlines()
    out = {"latencies": [], "errors": 0, "non_2xx": 0}
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=_client, args=(port, paths, n * 101, deadline, out))
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = out["latencies"]
    return {"requests": len(latencies), "seconds": time.monotonic() - started,
            "errors": out["errors"], "non_2xx": out["non_2xx"],
            "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies, default=0.0)}


if __name__ == "__main__":
    port, paths_file, clients, seconds = sys.argv[1:5]
    result = python_load(int(port), Path(paths_file), int(clients), float(seconds))
    print("LOAD " + json.dumps(result), flush=True)
