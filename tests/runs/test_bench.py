"""``regime-sim bench`` runs at a small size and prints well-formed figures (no timing limits)."""

import json
import re

import pytest

from sim.runs.bench import FIELDS
from sim.interfaces.cli import main

SIZES = ["2000", "3000"]


def test_bench_json_has_one_entry_per_size_with_the_specified_keys(capsys):
    assert main(["bench", "--fighters", *SIZES, "--months", "3", "--repeat", "1", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert set(results) == {"model", "mesa_reference"}
    for entries in results.values():
        assert [e["fighters"] for e in entries] == [int(n) for n in SIZES]
        for e in entries:
            assert tuple(e) == FIELDS and e["months"] == 3
            assert all(isinstance(e[k], float) and e[k] > 0 for k in FIELDS[2:])
            assert e["mesa_import_seconds"] < e["startup_seconds"]
            assert abs(e["us_per_fighter_month"] - e["seconds"] / (e["fighters"] * 3) * 1e6) \
                < 0.1 * e["us_per_fighter_month"]


def test_bench_text_prints_a_row_of_positive_figures_per_size(capsys):
    assert main(["bench", "--fighters", "2000", "--months", "3", "--repeat", "1"]) == 0
    captured = capsys.readouterr()
    assert "median of 1 run(s)" in captured.err and "peak resident memory" in captured.err
    lines = captured.out.strip().splitlines()
    assert lines[0].split() == ["fighters", "months", "seconds", "us/fighter-month", "peak", "MB", "start-up", "s",
                                "(Mesa", "import)"]
    rows = {line.rsplit(None, 7)[0]: line.split()[-7:] for line in lines[1:3]}
    assert set(rows) == {"model", "mesa reference"}
    for fighters, months, *figures in rows.values():
        assert fighters == "2,000" and months == "3" and all(float(x) > 0 for x in figures)
    assert re.fullmatch(r"2,000 fighters: the Mesa reference costs \d+\.\d times the model's time per fighter-month",
                        lines[3])


def test_bench_rejects_a_size_out_of_range(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["bench", "--fighters", "10"])
    assert exit.value.code == 2
    assert "allowed [100, 10000000]" in capsys.readouterr().err


def test_linear_fit_recovers_a_fixed_cost_and_a_cost_per_fighter_month():
    from sim.runs.bench import linear_fit

    entries = [{"fighters": n, "months": 10, "seconds": 0.2 + n * 10 * 0.05e-6} for n in (10_000, 100_000, 1_000_000)]
    assert linear_fit(entries) == ("model: seconds per run = 0.200 fixed + 0.0500 us per fighter-month "
                                   "(least squares over 3 sizes; largest deviation 0%)")
    entries[1]["seconds"] *= 2
    assert not linear_fit(entries).endswith("deviation 0%)")


def test_sweep_benchmark_script_prints_wall_time_and_memory_per_chunk(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "sweep_benchmark.py"
    done = subprocess.run([sys.executable, str(script), "inclusive_government", "--replicates", "1",
                           "--months", "3", "--scale", "0.01", "--workers", "1", "--every", "0.1",
                           "--out", str(tmp_path / "sweep")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("wall time")):]
    assert re.fullmatch(r"wall time \d+ s \(\d+\.\d min\) for \d+ runs in .*: \d+\.\d\d s per run and worker "
                        r"\(start-up, storage and plots included\)", lines[0])
    chunks = [re.fullmatch(r" +(\d+) chunk\(s\): +(\d+) MB", line) for line in lines[2:]]
    assert chunks and all(chunks) and all(int(c.group(2)) > 0 for c in chunks)
