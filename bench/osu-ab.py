#!/usr/bin/env python3
"""A/B of two mpi4j builds on one OSU benchmark: alternating runs, per-size medians, ratio B/A and its geomean.

usage: bench/osu-ab.py ROUNDS "NAME_A [BIN=/other/checkout/bin/osu] [VAR=value ...]" "NAME_B [...]" -- osu_xxx [args]

Each round runs A then B, so both see the host as it is in that round. BIN
defaults to this checkout's bin/osu; give another checkout's (built with `mvn package -DskipTests`, whose
bench/target/runtime.classpath points at its own jars) to compare two commits. VAR=value is set in the run's
environment and forwarded to the ranks with mpi4jrun's -x. A single-column benchmark (osu_barrier) is size 0.
Run it with nothing else on the machine.
"""
import math
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


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
    times = [{}, {}]
    for _ in range(rounds):
        for index, (_, osu, env, forwarded) in enumerate(sides):
            run = subprocess.run([osu] + forwarded + bench, env=env, capture_output=True, text=True, timeout=900)
            if run.returncode != 0:
                sys.exit(f"{sides[index][0]} failed ({run.returncode}):\n{run.stderr}")
            for size, value in sizes(run.stdout):
                times[index].setdefault(size, []).append(value)
    print(f"# {' '.join(bench)}, {rounds} rounds, medians (us)")
    print(f"{'size':>9} {sides[0][0]:>10} {sides[1][0]:>10} {'B/A':>6}")
    logs = []
    for size in sorted(times[0]):
        a, b = statistics.median(times[0][size]), statistics.median(times[1].get(size, [math.nan]))
        ratio = b / a if a > 0 else math.nan
        if ratio > 0:
            logs.append(math.log(ratio))
        print(f"{size:>9} {a:>10.2f} {b:>10.2f} {ratio:>6.2f}")
    if logs:
        print(f"geomean B/A {math.exp(sum(logs) / len(logs)):.3f}")


if __name__ == "__main__":
    main(sys.argv)
