#!/usr/bin/env python3
"""A/B of two mpi4j builds on one OSU benchmark: alternating runs, per-size medians, ratio B/A and its geomean.

usage: bench/osu-ab.py ROUNDS "NAME_A [BIN=/other/checkout/bin/osu] [VAR=value ...]" "NAME_B [...]" -- osu_xxx [args]

Each round runs A then B, so both see the host as it is in that round. BIN
defaults to this checkout's bin/osu; give another checkout's (built with `mvn package -DskipTests`, whose
bench/target/runtime.classpath points at its own jars) to compare two commits. BIN=openmpi runs Open MPI's build of
the same OSU loop (bench/out/osu/bin, as bench/compare.sh builds it; mpirun with vader). VAR=value is set in the
run's environment and forwarded to the ranks with mpi4jrun's -x. A single-column benchmark (osu_barrier) is size 0.
Run it with nothing else on the machine.

Each run is bracketed by bench/c/probe/core_pingpong (one cache line's round trip between CPUs 0 and 1): a virtual
machine's two vCPUs sit on one host core's hyperthreads at times and farther apart at others (0.1 against 0.5 us
here, switching every few tens of seconds), and every shared-memory figure moves with it. Runs are grouped by
placement, "near" or "far" when both probes agree, and each group gets its own table; runs whose placement changed
in between are left out.
"""
import math
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OPENMPI = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "pml", "ob1", "--mca", "btl", "self,vader"]
PROBE_SOURCE = os.path.join(HERE, "c", "probe", "core_pingpong.c")
PROBE = os.path.join(HERE, "out", "probe", "core_pingpong")
# Between the two modes seen (0.09-0.14 us against 0.28-0.62): a line's round trip within one host core or not.
NEAR_NS = 220


def side(spec):
    words = spec.split()
    env, forwarded, osu = dict(os.environ), [], os.path.join(HERE, "..", "bin", "osu")
    for word in words[1:]:
        key, value = word.split("=", 1)
        if key == "BIN":
            osu = value
        else:
            env[key] = value
            forwarded += ["-x", key]
    return words[0], osu, env, forwarded


def command(osu, forwarded, bench):
    if osu != "openmpi":
        return [osu] + forwarded + bench
    ranks = []
    while bench and not bench[0].startswith(("osu_", "io_")):
        ranks.append(bench.pop(0))
    return OPENMPI + (ranks or ["-n", "2"]) + [os.path.join(HERE, "out", "osu", "bin", bench[0])] + bench[1:]


def probe():
    if not os.path.exists(PROBE) or os.path.getmtime(PROBE) < os.path.getmtime(PROBE_SOURCE):
        os.makedirs(os.path.dirname(PROBE), exist_ok=True)
        subprocess.run(["gcc", "-O2", "-o", PROBE, PROBE_SOURCE], check=True)
    out = subprocess.run([PROBE], capture_output=True, text=True, check=True).stdout.split()
    return float(out[1])


def placement(before, after):
    near = [ns < NEAR_NS for ns in (before, after)]
    return "near" if all(near) else "far" if not any(near) else None


def sizes(output):
    for line in output.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        try:
            yield (0, float(fields[0])) if len(fields) == 1 else (int(fields[0]), float(fields[1]))
        except ValueError:
            continue


def main(argv):
    if "--" not in argv or len(argv) < 5:
        sys.exit(__doc__)
    cut = argv.index("--")
    rounds, sides, bench = int(argv[1]), [side(spec) for spec in argv[2:cut]], argv[cut + 1:]
    if len(sides) != 2:
        sys.exit("two sides, A and B")
    times = {"near": [{}, {}], "far": [{}, {}]}
    probes = []
    for _ in range(rounds):
        for index, (name, osu, env, forwarded) in enumerate(sides):
            before = probe()
            run = subprocess.run(command(osu, forwarded, list(bench)), env=env, capture_output=True, text=True,
                                 timeout=900)
            if run.returncode != 0:
                sys.exit(f"{name} failed ({run.returncode}):\n{run.stderr}")
            after = probe()
            where = placement(before, after)
            probes.append(f"{name} {before:.0f}/{after:.0f}{'' if where else ' (left out)'}")
            for size, value in sizes(run.stdout) if where else ():
                times[where][index].setdefault(size, []).append(value)
    print(f"# {' '.join(bench)}, {rounds} rounds; core_pingpong ns before/after each run: {', '.join(probes)}")
    for where, (first, second) in times.items():
        if not first or not second:
            continue
        runs = (len(next(iter(first.values()))), len(next(iter(second.values()))))
        print(f"# {where} (core_pingpong {'<' if where == 'near' else '>='} {NEAR_NS} ns): medians of {runs[0]} and "
              f"{runs[1]} runs")
        print(f"{'size':>9} {sides[0][0]:>10} {sides[1][0]:>10} {'B/A':>6}")
        logs = []
        for size in sorted(first):
            a, b = statistics.median(first[size]), statistics.median(second.get(size, [math.nan]))
            ratio = b / a if a > 0 else math.nan
            if ratio > 0:
                logs.append(math.log(ratio))
            print(f"{size:>9} {a:>10.2f} {b:>10.2f} {ratio:>6.2f}")
        if logs:
            print(f"geomean B/A {math.exp(sum(logs) / len(logs)):.3f}")


if __name__ == "__main__":
    main(sys.argv)
