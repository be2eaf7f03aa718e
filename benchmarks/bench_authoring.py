"""Authoring timings (run by `make bench`): the language server and scenario tests.

- Diagnostics after an edit: a real `countertalk lsp` session over stdio on a generated 200-state
  file; each edit changes one line, and the time is from sending didChange to receiving that
  version's publishDiagnostics (so it includes the debounce). Issue 19's target: within 150 ms.
- `countertalk test` over the shipped pack (every NAME.test.yaml), as a whole command.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from gen import big_scenario  # noqa: E402

from simulator.lsp.server import DEBOUNCE_SECONDS as DEBOUNCE  # noqa: E402
from tests.e2e.lsp_client import LspClient  # noqa: E402

BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
EDITS = 25


def lsp_after_edit() -> tuple[float, float]:
    """(median, worst) seconds from an edit to its diagnostics, 200 states."""
    text = big_scenario(200)
    with tempfile.TemporaryDirectory() as tmp:
        uri = (Path(tmp) / "big.yaml").as_uri()
        client = LspClient([str(BIN / "countertalk"), "lsp"])
        try:
            client.request("initialize", {"processId": os.getpid(), "capabilities": {}})
            client.notify("initialized", {})
            client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
            )
            client.wait_notification("textDocument/publishDiagnostics", timeout=60)
            times = []
            for n in range(EDITS):
                version = n + 2
                # alternate a broken goto and a fixed one, so every edit changes the findings
                edited = text.replace("goto: s1\n", f"goto: s1{'x' * (n % 2)}\n", 1)
                t = time.perf_counter()
                client.notify(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": edited}],
                    },
                )
                client.wait_notification(
                    "textDocument/publishDiagnostics",
                    timeout=60,
                    where=lambda p, v=version: p.get("version") == v,
                )
                times.append(time.perf_counter() - t)
        finally:
            client.close()
    return statistics.median(times), max(times)


def test_over_pack() -> float | None:
    pack = ROOT / "scenarios"
    if not list(pack.glob("*.test.yaml")):
        return None
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, COUNTERTALK_HOME=tmp)
        for i in range(max(3, RUNS // 3) + 1):
            t = time.perf_counter()
            proc = subprocess.run(
                [str(BIN / "countertalk"), "test", "-q", str(pack)],
                capture_output=True,
                env=env,
            )
            if proc.returncode not in (0, 1):
                raise SystemExit(proc.stderr.decode()[-2000:])
            if i:
                times.append(time.perf_counter() - t)
    return statistics.median(times)


def parse_floor() -> float:
    """PyYAML's C loader on the same 200-state text, in-process: what any YAML tool pays."""
    import yaml

    text = big_scenario(200)
    times = []
    for _ in range(RUNS + 1):
        t = time.perf_counter()
        yaml.load(text, Loader=yaml.CSafeLoader)
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])


def main() -> int:
    floor = parse_floor()
    median, worst = lsp_after_edit()
    verdict = "ok" if median <= 0.150 else "OVER 150 ms"
    print(f"{'floor: PyYAML C loader parses the 200-state file':<58} {floor * 1000:8.1f} ms")
    print(
        f"{'lsp: diagnostics after an edit, 200 states (median of ' + str(EDITS) + ')':<58} "
        f"{median * 1000:8.1f} ms   {median / floor:5.2f}x floor, worst {worst * 1000:.1f} ms "
        f"(target 150 ms; includes the {int(DEBOUNCE * 1000)} ms debounce) {verdict}"
    )
    pack = test_over_pack()
    if pack is None:
        print("countertalk test over the pack: no NAME.test.yaml files")
    else:
        print(f"{'countertalk test over the shipped pack':<58} {pack * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
