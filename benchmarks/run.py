"""`make bench`: run every benchmark, report each missed target, write benchmarks/RESULTS.md.

Every script in benchmarks/ runs (except this one and helpers named _*), even after one
misses its target; the exit status is 1 when any missed a target or failed. At the end it
prints the per-page CPU ratio table (page_cpu.py) and the latency table (load_pages.py, p50 /
p95 at 10 clients on PostgreSQL, with the targets). RESULTS.md holds the machine, the load
average during the run, a summary, those two tables with the profile per page, the page-load
tables (growth from one regency to the country) and each script's own output. `--quick` runs
smaller versions for development (not comparable with the full figures) and writes
test-artifacts/bench-quick.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK_ARGS = {
    "idm_compute.py": ["--villages", "7500"],
    "indeks_desa_compute.py": ["--villages", "7500"],
    "idm_import.py": ["--years", "1"],
    "idm_real_import.py": ["--sqlite-only"],
    "indeks_desa_import.py": ["--sqlite-only"],
    "plan_solve.py": ["--skip-national"],
    "load_pages.py": ["--quick"],
    "page_cpu.py": ["--quick"],
}
JSON_OUTPUT = {"load_pages.py": "pages.json", "page_cpu.py": "page_cpu.json"}


@dataclass
class Outcome:
    script: str
    seconds: float
    exit_code: int
    output: str

    @property
    def missed(self) -> list[str]:
        return [line.strip() for line in self.output.splitlines() if "MISSED" in line]

    @property
    def verdict(self) -> str:
        if self.exit_code == 0:
            return "OK"
        return "target missed" if self.missed else f"failed (exit {self.exit_code})"


class LoadWatch:
    """The 1-minute load average at the start, its highest value and at the end."""

    def __init__(self) -> None:
        self.start = os.getloadavg()[0]
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(5):
            self.peak = max(self.peak, os.getloadavg()[0])

    def stop(self) -> tuple[float, float, float]:
        self._stop.set()
        self._thread.join()
        return self.start, self.peak, os.getloadavg()[0]


def machine() -> dict[str, str]:
    info = {"cpu_model": platform.processor() or platform.machine()}
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    info["cpus"] = str(os.cpu_count())
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        info["ram"] = f"{total_kb / 1024 / 1024:.1f} GiB"
    os_release = Path("/etc/os-release")
    if os_release.exists():
        for line in os_release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                info["os"] = line.split("=", 1)[1].strip('"')
    info["kernel"] = platform.release()
    info["python"] = platform.python_version()
    info["sqlite"] = sqlite3.sqlite_version
    info["postgresql"] = _postgres_version()
    info["commit"] = _git("rev-parse", "--short", "HEAD") + (
        " (working tree with uncommitted changes)" if _git("status", "--porcelain") else "")
    return info


def _postgres_version() -> str:
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import find_pg_bin

    found = find_pg_bin()
    if found is None:
        return "not installed"
    done = subprocess.run([str(found / "postgres"), "--version"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip().removeprefix("postgres (PostgreSQL) ")


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def run_script(path: Path, extra: list[str]) -> Outcome:
    print(f"== {path.name} {' '.join(extra)}".rstrip(), flush=True)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(path), *extra], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    code = process.wait()
    return Outcome(path.name, time.perf_counter() - start, code, "".join(lines))


def compute_growth(sizes: list[int]) -> dict[int, float]:
    """Seconds `idm_compute.py` takes for the IDM of `size` villages × 10 years (best of 3)."""
    found: dict[int, float] = {}
    for size in sizes:
        done = subprocess.run(
            [sys.executable, str(HERE / "idm_compute.py"), "--villages", str(size),
             "--sample", str(min(size * 10, 20_000))],
            cwd=ROOT, capture_output=True, text=True, check=False)
        match = re.search(r"in ([0-9.]+) s \(best of 3", done.stdout)
        if match:
            found[size] = float(match.group(1))
    return found


# --- RESULTS.md ---------------------------------------------------------------------------


def _ms(run: dict | None) -> str:
    if not run:
        return "—"
    failed = f" ({run['errors']} failed)" if run["errors"] else ""
    return f"{run['p50']:.0f} / {run['p95']:.0f}{failed}"


def page_tables(data: dict, compute: dict[int, float]) -> list[str]:
    """Per backend: p50 / p95 per page, leg and number of clients, one column per size."""
    from load_pages import LEG_WORDS

    sizes = data["sizes"]
    head = " | ".join(f"{n:,} villages" for n in sizes)
    lines = ["IDM of every village-year at once (`idm_compute.py`, 10 years, best of 3):", "",
             f"| | {head} |", "|---|" + "---|" * len(sizes),
             "| time | " + " | ".join(_seconds(compute.get(n)) for n in sizes) + " |", ""]
    for backend in sorted({r["backend"] for r in data["results"]}, reverse=True):
        results = {r["villages"]: r for r in data["results"] if r["backend"] == backend}
        each = ", ".join(f"{n} each for {c}" for c, n in data["requests"].items())
        lines += [f"**{backend}** — latency p50 / p95 in ms, by number of concurrent clients "
                  f"(requests per client: {each})",
                  "", f"| page | clients | {head} |",
                  "|---|---|" + "---|" * len(sizes)]
        pages = list(dict.fromkeys((run["page"], run.get("leg", "repeat"))
                                   for r in results.values() for run in r["runs"]))

        def row_name(page: str, leg: str) -> str:
            return f"{page}, {LEG_WORDS[leg]}"

        def of(run: dict, page: str, leg: str) -> bool:
            return run["page"] == page and run.get("leg", "repeat") == leg

        for page, leg in pages:
            counts = sorted({run["clients"] for r in results.values() for run in r["runs"]
                             if of(run, page, leg)})
            for clients in counts:
                cells = []
                for size in sizes:
                    runs = results[size]["runs"] if size in results else []
                    cells.append(_ms(next((x for x in runs if of(x, page, leg)
                                           and x["clients"] == clients), None)))
                lines.append(f"| {row_name(page, leg)} | {clients} | {' | '.join(cells)} |")
        rows = (("village-years stored", lambda r: f"{r['village_years']:,}"),
                ("`demo national` (s)", lambda r: f"{r['load_seconds']:.1f}"),
                ("server peak memory (MiB)", lambda r: f"{r['peak_mb']:.0f}"),
                ("load average before → after",
                 lambda r: " → ".join(f"{x:.1f}" for x in r.get("load_average", ()))))
        for label, cell in rows:
            cells = [cell(results[s]) if s in results else "—" for s in sizes]
            lines.append(f"| {label} | | {' | '.join(cells)} |")
        lines += ["", f"**{backend}** — CPU per request in ms (server process"
                  + (" + PostgreSQL's processes" if backend == "postgresql" else "")
                  + "; from the run with the most requests): independent of other load on "
                  "the machine, so the growth with the data set shows here most clearly", "",
                  f"| page | {head} |", "|---|" + "---|" * len(sizes)]
        for page, leg in pages:
            cells = []
            for size in sizes:
                runs = [x for x in results[size]["runs"] if of(x, page, leg)] \
                    if size in results else []
                run = max(runs, key=lambda x: x["requests"], default=None)
                cells.append(_cpu(run))
            lines.append(f"| {row_name(page, leg)} | {' | '.join(cells)} |")
        lines.append("")
    return lines


def latency_table(data: dict) -> list[str]:
    """p50 / p95 at 10 clients, PostgreSQL first (SQLite beside it), one column per size,
    with the targets, for pages kept and first views; the load generator shares the
    machine's cores with the server."""
    from load_pages import LEG_WORDS, TARGETS

    sizes = data["sizes"]
    names = {"village": "village page `/desa/{kode}/idm`",
             "regency": "regency dashboard `/wilayah/64.02/idm`",
             "village overview": "village overview `/desa/{kode}`",
             "regency overview": "regency overview `/wilayah/64.02`"}
    lines = [f"Latency p50 / p95 in ms at 10 concurrent clients (load_pages.py; "
             f"{data.get('workers', '?')} server processes). *Pages kept*: the user has seen "
             "the page before (page cache on); *first views*: every page rendered from the "
             "database (`MITRADESA_PAGE_CACHE=0`), as a first view or the first after a "
             f"change. The load generator runs on the same {os.cpu_count()} cores as the "
             "server and PostgreSQL, and takes part of their CPU.", "",
             "| page | backend | views | target p95 | "
             + " | ".join(f"{n:,} villages" for n in sizes) + " |",
             "|---|---|---|---|" + "---|" * len(sizes)]
    for page in names:
        for backend in ("postgresql", "sqlite"):
            results = {r["villages"]: r for r in data["results"] if r["backend"] == backend}
            if not results:
                continue
            for leg in data.get("legs", ["repeat"]):
                cells = []
                for size in sizes:
                    runs = results[size]["runs"] if size in results else []
                    run = next((x for x in runs if x["page"] == page and x["clients"] == 10
                                and x.get("leg", "repeat") == leg), None)
                    cell = _ms(run)
                    if run and page in TARGETS and backend == "postgresql" \
                            and run["p95"] > TARGETS[page]:
                        cell = f"**{cell}**"
                    cells.append(cell)
                target = f"≤ {TARGETS[page]:.0f} ms" if page in TARGETS else "—"
                if backend == "sqlite" and page in TARGETS:
                    target += " (set for PostgreSQL)"
                lines.append(f"| {names[page]} | {backend} | {LEG_WORDS[leg]} | {target} | "
                             f"{' | '.join(cells)} |")
    return lines


def cpu_ratio_section(data: dict) -> list[str]:
    """The per-page CPU ratio tables (first and repeat visit), verdicts and profiles."""
    from page_cpu import LEG_NAMES, LEGS, TARGET_RATIO, table

    lines = [f"Server CPU per request of each page as a ratio to the floor (`GET /api/v1/me` "
             f"with a session cookie), target ≤ {TARGET_RATIO:.0f}× (bold: over); in "
             "brackets the page's CPU per request in ms, the server's and, on PostgreSQL, + its "
             f"processes' (not in the ratio). One server process, one client, {data['batches']} "
             f"batches of {data['each']} requests of the page interleaved with as many of the "
             "floor; see `page_cpu.py` for the method.", ""]
    for leg in LEGS:
        lines += [f"**{LEG_NAMES[leg]}**", "", *table(data["runs"], list(data["sizes"]), leg),
                  ""]
    lines += [f"- {line}" for line in data["verdict"]]
    for where, profile in data.get("profile", {}).items():
        lines += ["", f"Where a request's CPU goes ({where}; the app in-process, first visit; "
                  "CPU per request without the profiler, shares of the CPU under cProfile; "
                  "built-ins count for their caller; SQL is SQLAlchemy and the driver in the "
                  "app, PostgreSQL's own CPU is not in it):", "",
                  *(f"- {line}" for line in profile)]
    return lines


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return "< 1 ms" if value < 0.001 else f"{value * 1000:.0f} ms"


def _cpu(run: dict | None) -> str:
    if run is None:
        return "—"
    if run["db_cpu_ms"] is None:
        return f"{run['app_cpu_ms']:.1f}"
    return f"{run['app_cpu_ms']:.1f} + {run['db_cpu_ms']:.1f}"


def write_results(path: Path, info: dict[str, str], outcomes: list[Outcome],
                  load: tuple[float, float, float], quick: bool, started: datetime,
                  pages: dict | None, compute: dict[int, float],
                  cpu: dict | None = None) -> None:
    total = sum(o.seconds for o in outcomes)
    lines = [
        "# Benchmark results", "",
        "Written by `make bench` (`benchmarks/run.py`); every figure below comes from the run "
        "described here." + (" **Quick run** (smaller sizes): not comparable with a full "
                             "run." if quick else ""), "",
        "## Machine and run", "",
        f"- CPU: {info['cpu_model']}, {info['cpus']} logical CPUs",
        f"- RAM: {info.get('ram', '?')}",
        f"- OS: {info.get('os', '?')}, kernel {info['kernel']}",
        f"- Python {info['python']}, SQLite {info['sqlite']}, PostgreSQL {info['postgresql']} "
        "(throw-away server on loopback, fsync off as in the tests)",
        f"- Code: commit {info['commit']}",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the whole run took {total / 60:.1f} min",
        f"- Load average (1 min): {load[0]:.2f} at the start, {load[1]:.2f} at most, "
        f"{load[2]:.2f} at the end. The machine is shared: other work running at the same "
        "time slows every figure, latency under concurrency most.",
        "", "## Summary", "",
        "| benchmark | time (s) | result | missed targets |", "|---|---|---|---|",
    ]
    for outcome in outcomes:
        shown = outcome.missed if len(outcome.missed) <= 4 else [
            *outcome.missed[:3], f"… and {len(outcome.missed) - 3} more (below)"]
        missed = "<br>".join(shown)
        lines.append(f"| `{outcome.script}` | {outcome.seconds:.0f} | {outcome.verdict} | "
                     f"{missed} |")
    if cpu:
        lines += ["", "## Page CPU: each page against the framework floor", "",
                  *cpu_ratio_section(cpu)]
    if pages:
        lines += ["", "## Latency at 10 clients", "", *latency_table(pages)]
    if pages:
        lines += ["", "## Pages under load: from one regency to the country", "",
                  "Village page `/desa/{kode}/idm`, regency dashboard `/wilayah/64.02/idm`, "
                  "region and village overviews `/wilayah/64.02` and `/desa/{kode}`; "
                  "see `load_pages.py` for the method.", "",
                  *(f"- {line}" for line in pages["verdict"]), "",
                  *page_tables(pages, compute)]
    if pages:
        lines += [
            "How to read these: each client sends its next request as soon as the last one is "
            "answered, so with N clients a request queues behind up to N − 1 others. The server "
            "runs one worker process per core; at 10 clients the mean latency is 10 divided by "
            "the pages per second, i.e. about 10 × the CPU one page costs (server, database and "
            "load generator together) divided by the cores they share with everything else on "
            "the machine. The CPU per request shows what each page costs and how that grows "
            "with the data set.", ""]
    lines += ["## Output of each benchmark", ""]
    for outcome in outcomes:
        lines += [f"### `{outcome.script}`", "", "```", outcome.output.rstrip(), "```", ""]
    path.write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs for development")
    parser.add_argument("--only", action="append", help="run only this script (repeatable)")
    parser.add_argument("--output", type=Path,
                        help="default benchmarks/RESULTS.md; test-artifacts/bench-quick.md "
                             "for --quick, so a quick run never replaces the full figures")
    args = parser.parse_args()
    if args.output is None:
        args.output = ROOT / "test-artifacts" / "bench-quick.md" if args.quick \
            else HERE / "RESULTS.md"
        args.output.parent.mkdir(exist_ok=True)
    scripts = [p for p in sorted(HERE.glob("*.py"))
               if p.name != Path(__file__).name and not p.name.startswith("_")]
    if args.only:
        scripts = [p for p in scripts if p.name in args.only or p.stem in args.only]
    started = datetime.now(UTC)
    info = machine()
    watch = LoadWatch()
    outcomes: list[Outcome] = []
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for script in scripts:
            extra = list(QUICK_ARGS.get(script.name, [])) if args.quick else []
            output = Path(folder) / JSON_OUTPUT.get(script.name, "-")
            if script.name in JSON_OUTPUT:
                extra += ["--json", str(output)]
            outcomes.append(run_script(script, extra))
            if script.name in JSON_OUTPUT and output.exists():
                found[script.name] = json.loads(output.read_text())
    pages, cpu = found.get("load_pages.py"), found.get("page_cpu.py")
    compute = compute_growth(pages["sizes"]) if pages else {}
    load = watch.stop()
    write_results(args.output, info, outcomes, load, args.quick, started, pages, compute, cpu)
    if cpu:
        print("\n" + "\n".join(cpu_ratio_section(cpu)))
    if pages:
        print("\n" + "\n".join(latency_table(pages)))
    print(f"\n{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
          " written.")
    for outcome in outcomes:
        print(f"  {outcome.script:22} {outcome.seconds:6.0f} s  {outcome.verdict}")
        for line in outcome.missed:
            print(f"    {line}")
    return 0 if all(o.exit_code == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
