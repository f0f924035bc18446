"""``regime-sim reproduce``: every shipped result, from a clean tree, in one command.

It runs, in order, each command that made a file the README or the documentation quotes (the table
:data:`STEPS`), as the recorded commands say, from the project's root, and copies the figures the documents show
into ``docs/``. It refuses to run on a checkout with uncommitted changes to anything but the results themselves
(``--force`` runs anyway; the manifests then say ``"dirty": true``), so every manifest it writes names the commit
that made it. ``--dry-run`` prints the steps, the files each writes and the estimated time, and runs nothing.

The estimates are minutes of wall time on the project's 2-core machine with 2 workers (the steps' own figures, or
the runs they make at the measured cost of a run); the command prints the time each step took, and the total.
``--calibrate`` first recalibrates the model (history matching, :mod:`sim.analysis.calibrate`) and rewrites the
calibrated ensemble that every other step draws from; without it the shipped ensemble is used.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sim.runs.scenario import ScenarioError

WORK = Path("results") / "reproduce"  # scratch output (git-ignored): the runs whose figures are copied to docs/


@dataclass(frozen=True)
class Step:
    """One command that makes shipped results."""

    name: str
    what: str
    command: tuple[str, ...]  # "regime-sim ..." runs the package's command line, "python SCRIPT ..." a script
    writes: tuple[str, ...]  # the files or folders it writes (relative to the project's root)
    minutes: float  # estimated wall time on two cores
    copies: tuple[tuple[str, str], ...] = ()  # (from, to): figures copied into docs/
    clears: tuple[str, ...] = ()  # folders of results emptied first (so a result that is no longer made goes)
    workers: bool = False  # takes --workers
    calibration: bool = False  # only with --calibrate


STEPS = (
    Step("calibration", "history matching of the baseline's free parameters; the calibrated ensemble",
         ("regime-sim", "calibrate", "calibrate_baseline", "--out", f"{WORK}/calibration", "--ensemble",
          "scenarios/ensemble/baseline.csv"),
         ("scenarios/ensemble/baseline.csv", "scenarios/ensemble/baseline.json", "docs/calibration_implausibility.png",
          "docs/calibration_pairs.png"), 35.0,
         copies=((f"{WORK}/calibration/implausibility.png", "docs/calibration_implausibility.png"),
                 (f"{WORK}/calibration/pairs.png", "docs/calibration_pairs.png")),
         clears=(f"{WORK}/calibration",), workers=True, calibration=True),
    Step("baseline", "the baseline run whose dashboard the README shows",
         ("regime-sim", "run", "baseline", "--out", f"{WORK}/baseline", "--force"),
         ("docs/dashboard.png",), 0.3, copies=((f"{WORK}/baseline/dashboard.png", "docs/dashboard.png"),)),
    Step("validation", "the baseline against the documented figures (40 replicates, full scale)",
         ("regime-sim", "validate", "baseline", "--replicates", "40", "--out", "experiments/results/validation"),
         ("experiments/results/validation", "docs/validation.png"), 1.5,
         copies=(("experiments/results/validation/validation.png", "docs/validation.png"),),
         clears=("experiments/results/validation",)),
    Step("recheck", "20 ensemble members re-run on fresh seeds: the share that stays below the ensemble's cutoff",
         ("python", "experiments/ensemble_recheck.py", "scenarios/ensemble/baseline.csv", "--out",
          "experiments/results/ensemble_recheck"),
         ("experiments/results/ensemble_recheck",), 0.7, clears=("experiments/results/ensemble_recheck",),
         workers=True),
    Step("experiments", "the six arguments of the documents, reduced size (verdicts, figures, findings.md)",
         ("regime-sim", "experiments", "--results", "experiments/results"),
         ("experiments/results/arg*", "experiments/results/findings.md", "experiments/results/manifest-reduced.json"),
         6.0, workers=True),
    Step("claims", "the directional claims across the accepted region",
         ("regime-sim", "claims", "--samples", "32", "--replicates", "2", "--out", "experiments/results/claims"),
         ("experiments/results/claims",), 6.0, clears=("experiments/results/claims",), workers=True),
    Step("fall_process", "ten-year survival across moderation and the crackdown; isolation against relief",
         ("python", "experiments/fall_process.py", "--replicates", "4", "--scale", "0.25", "--seed", "7", "--out",
          "experiments/results/fall_process"),
         ("experiments/results/fall_process",), 1.5, clears=("experiments/results/fall_process",), workers=True),
    Step("which_horn", "which horn is worse, across the nine assumptions that weigh them (PRIM, rank correlations)",
         ("python", "experiments/which_horn.py", "--points", "96", "--replicates", "4", "--scale", "0.1", "--seed",
          "7", "--spread", "1", "--out", "experiments/results/which_horn"),
         ("experiments/results/which_horn",), 3.0, clears=("experiments/results/which_horn",), workers=True),
    Step("ablation", "each mechanism, and each lever's price and benefit, switched off on the ensemble's members",
         ("python", "experiments/ablation.py", "--replicates", "24", "--months", "120", "--scale", "0.25", "--seed",
          "7", "--out", "experiments/results/ablation"),
         ("experiments/results/ablation",), 6.0, clears=("experiments/results/ablation",), workers=True),
    Step("policy_corners", "the corners of moderation x action against allies x sanctions",
         ("python", "experiments/policy_corners.py", "--replicates", "10", "--scale", "0.25", "--seed", "7"),
         ("experiments/results/policy_corners.md",), 0.7),
    Step("app", "the browser app's screenshot (the browser test in headless Chromium: apt-get install chromium)",
         ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/interfaces/test_app.py", "-k",
          "real_browser"),
         ("docs/app.png",), 1.0, copies=(("test-artifacts/app.png", "docs/app.png"),), clears=("test-artifacts",)),
    Step("readme", "the README's generated sections, from the results above",
         ("regime-sim", "readme"), ("README.md",), 0.1),
)


def root() -> Path:
    """The project's source tree (reproduce works on a git checkout, not on an installed package)."""
    return Path(__file__).resolve().parents[2]


def chosen(calibrate: bool, only: list[str] | None = None) -> list[Step]:
    names = {s.name for s in STEPS}
    for name in only or []:
        if name not in names:
            raise ScenarioError("--only", name, f"is not a step; the steps are {', '.join(names)}")
    return [s for s in STEPS if (calibrate or not s.calibration) and (not only or s.name in only)]


def argv(step: Step, workers: int | None) -> list[str]:
    """The step's command as a process to start: the same Python, the package's command line or a script."""
    program, *rest = step.command
    head = [sys.executable, "-m", "sim"] if program == "regime-sim" else [sys.executable]
    extra = ["--workers", str(workers)] if workers and step.workers else []
    quiet = ["--quiet"] if program == "regime-sim" and step.command[1] in ("run", "validate", "calibrate",
                                                                              "experiments", "claims") else []
    return head + rest + extra + quiet


def plan_text(steps: list[Step], workers: int | None) -> str:
    lines = [f"regime-sim reproduce: {len(steps)} step(s), about {sum(s.minutes for s in steps):.0f} minutes on two "
             "cores (estimates; the run prints the real times)"]
    for i, s in enumerate(steps, 1):
        lines.append(f"{i}. {s.name} (~{s.minutes:g} min): {s.what}")
        lines.append(f"   {' '.join(s.command)}" + (f" --workers {workers}" if workers and s.workers else ""))
        lines.append(f"   writes {', '.join(s.writes)}")
    return "\n".join(lines)


def dirty(where: Path) -> list[str]:
    """The tracked files, other than the shipped outputs, that differ from the commit (git status)."""
    from sim.runs.outputs import OUTPUTS

    if not (where / ".git").exists():
        raise ScenarioError(where, None, "is not a git checkout; reproduce the results from a clone of the "
                                         "repository (git clone, then pip install -e .)")
    done = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "--untracked-files=no", "--", ".",
                           *(f":(exclude,glob){p}" + ("" if "*" in p else "/**") for p in OUTPUTS)],
                          capture_output=True, text=True)
    if done.returncode:
        raise ScenarioError(where, None, f"git status failed: {done.stderr.strip()}")
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def run(args) -> int:
    steps = chosen(args.calibrate, args.only)
    print(plan_text(steps, args.workers))
    if args.dry_run:
        return 0
    where = root()
    changed = dirty(where)
    if changed and not args.force:
        raise ScenarioError(where, None, f"has uncommitted changes ({', '.join(changed[:5])}"
                                         f"{', ...' if len(changed) > 5 else ''}): commit them so the results name "
                                         "their commit, or add --force (the manifests then say dirty)")
    start = time.monotonic()
    for i, step in enumerate(steps, 1):
        began = time.monotonic()
        print(f"[{i}/{len(steps)}] {step.name}: {' '.join(step.command)}", file=sys.stderr, flush=True)
        for folder in step.clears:
            shutil.rmtree(where / folder, ignore_errors=True)
        done = subprocess.run(argv(step, args.workers), cwd=where)
        if done.returncode:
            print(f"regime-sim: reproduce stopped: step {step.name} exited with {done.returncode} after "
                  f"{minutes(time.monotonic() - began)}; the steps before it are written", file=sys.stderr)
            return done.returncode
        for source, target in step.copies:
            if not (where / source).is_file():
                print(f"regime-sim: reproduce stopped: step {step.name} did not write {source}", file=sys.stderr)
                return 1
            shutil.copyfile(where / source, where / target)
        print(f"[{i}/{len(steps)}] {step.name} done in {minutes(time.monotonic() - began)} "
              f"(total {minutes(time.monotonic() - start)})", file=sys.stderr, flush=True)
    print(f"reproduced {len(steps)} step(s) in {minutes(time.monotonic() - start)}; commit the results "
          "(git add experiments/results docs scenarios/ensemble README.md)")
    return 0


def register(sub) -> None:
    from sim.interfaces.options import positive_int

    p = sub.add_parser("reproduce", help="regenerate every shipped result from a clean tree (--dry-run: list them)",
                       description="Run every command that made a result the README or the documentation quotes "
                                   "(validation, the experiments, the claims, the fall process, which horn, the "
                                   "policy corners, the figures in docs/), from the project's root, and print the "
                                   "time each took. Refuses a checkout with uncommitted changes unless --force.")
    p.add_argument("--dry-run", action="store_true", help="print the steps, what each writes and the estimated "
                                                          "time; run nothing")
    p.add_argument("--calibrate", action="store_true", help="first recalibrate the model and rewrite the "
                                                            "calibrated ensemble (about 35 more minutes on two cores)")
    p.add_argument("--only", nargs="+", metavar="STEP", default=None,
                   help=f"run only these steps ({', '.join(s.name for s in STEPS)})")
    p.add_argument("--workers", type=positive_int, default=2, help="worker processes for the steps that take them "
                                                                   "(default 2)")
    p.add_argument("--force", action="store_true", help="run on a checkout with uncommitted changes")
    p.set_defaults(handler=run)
