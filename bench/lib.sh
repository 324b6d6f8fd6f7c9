# Sourced by the bench scripts that compare mpi4j with Open MPI (not run): building the benchmarks, medians over
# rounds, the side-by-side table, and rewriting one marked section of bench/RESULTS.md. Expects ROOT (the
# repository root) and bin/runtime.sh sourced (mpi4j_mvn).

# Build mpi4j's benchmarks and launcher (plus the modules given, e.g. transport-tcp) and set BENCH_CP, the class
# path of io.mpi4j.bench.
bench_build() { # [module...]
  local modules="bench,launcher" m
  for m in "$@"; do modules="$modules,$m"; done
  echo "# building mpi4j ($modules)" >&2
  (cd "$ROOT" && { mpi4j_mvn -q -o -DskipTests -pl "$modules" -am package >&2 ||
    mpi4j_mvn -q -DskipTests -pl "$modules" -am package >&2; })
  # bin/osu takes the class path file as the build's time stamp; Maven leaves it alone when unchanged
  touch "$ROOT/bench/target/runtime.classpath"
  BENCH_CP="$ROOT/bench/target/classes"
  if [ -s "$ROOT/bench/target/runtime.classpath" ]; then BENCH_CP="$BENCH_CP:$(cat "$ROOT/bench/target/runtime.classpath")"; fi
}

# "size median" per size over the given OSU result files; a row without a size (osu_barrier) counts as size 0.
# mawk-compatible: no arrays of arrays.
bench_medians() { # file...
  awk '/^#/ || NF == 0 { next }
       NF == 1 && $1 ~ /^[0-9.]+$/ { print 0, $1; next }
       $1 ~ /^[0-9]+$/ && NF >= 2 { print $1, $2 }' "$@" | sort -k1,1n -k2,2g | awk '
    function flush() { if (n > 0) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2; print cur, m } }
    !started || $1 != cur { flush(); cur = $1; n = 0; started = 1 }
    { v[++n] = $2 }
    END { flush() }'
}

# Where the machine's CPUs 0 and 1 sit against each other: bench/c/probe/core_pingpong's round trip of one cache
# line, built on first use. A VM's two vCPUs run on one host core's hyperthreads at times (0.1 us) and farther apart
# at others (0.3-0.6 us), switching every few tens of seconds, and every shared-memory latency moves with them.
BENCH_NEAR_NS=220
bench_probe() { # prints the round trip in whole nanoseconds
  local probe="$ROOT/bench/out/probe/core_pingpong" source="$ROOT/bench/c/probe/core_pingpong.c"
  if [ ! -x "$probe" ] || [ "$source" -nt "$probe" ]; then
    mkdir -p "$(dirname "$probe")" && gcc -O2 -o "$probe" "$source" >&2
  fi
  "$probe" | awk '{ print $2 }'
}
bench_placement() { # ns... -> near, far, or mixed when they disagree
  local near=0 far=0 ns
  for ns in "$@"; do if [ "$ns" -lt "$BENCH_NEAR_NS" ]; then near=1; else far=1; fi; done
  if [ "$near$far" = 10 ]; then echo near; elif [ "$near$far" = 01 ]; then echo far; else echo mixed; fi
}

# A table's medians over the rounds whose pair ran with the placement most pairs had (near first on a tie), every
# round when no placement was recorded; writes STEM.median for "ompi" and "mpi4j" and prints what the title says
# of the rounds ("3 rounds" or "2 rounds, vCPUs far (2 of 3 rounds)").
bench_placed_medians() { # dir stem (files DIR/{ompi,mpi4j,placement}-STEM-<round>.txt)
  local dir="$1" stem="$2" where f r ompi=() mpi4j=()
  where="$(cat "$dir/placement-$stem-"*.txt 2>/dev/null | awk '$1 != "mixed" { print $1 }' | sort | uniq -c \
    | sort -k1,1nr -k2,2r | awk 'NR == 1 { print $2 }')"
  for f in "$dir/mpi4j-$stem-"*.txt; do
    r="${f##*-}"; r="${r%.txt}"
    if [ -z "$where" ] || [ "$(cut -d' ' -f1 "$dir/placement-$stem-$r.txt" 2>/dev/null)" = "$where" ]; then
      ompi+=("$dir/ompi-$stem-$r.txt") mpi4j+=("$f")
    fi
  done
  bench_medians "${ompi[@]}" > "$dir/ompi-$stem.median"
  bench_medians "${mpi4j[@]}" > "$dir/mpi4j-$stem.median"
  if [ -z "$where" ]; then
    echo "${#mpi4j[@]} rounds"
  else
    echo "${#mpi4j[@]} rounds, vCPUs $where (${#mpi4j[@]} of $(ls "$dir/mpi4j-$stem-"*.txt | wc -l) rounds)"
  fi
}

# Runs a pair of commands (Open MPI's, mpi4j's) bracketed by the probe, again (up to 3 times) when the placement
# changed; writes "PLACEMENT ns ns ns" into the placement file. The pair is given as two functions' names.
bench_placed_pair() { # placement-file label first-function second-function
  local before between after where _
  for _ in 1 2 3; do
    before="$(bench_probe)"; "$3"; between="$(bench_probe)"; "$4"; after="$(bench_probe)"
    where="$(bench_placement "$before" "$between" "$after")"
    echo "$where $before $between $after" > "$1"
    [ "$where" = mixed ] || return 0
    echo "# $2: the vCPUs moved ($before/$between/$after ns), again" >&2
  done
}

# The table of bench/compare.sh: size, Open MPI, mpi4j, ratio mpi4j / Open MPI, sizes both sides have.
bench_table() { # title unit ompi-median-file mpi4j-median-file
  echo "# $1"
  printf '%-10s %18s %18s %14s\n' "# Size" "OpenMPI $2" "mpi4j $2" "mpi4j/OpenMPI"
  awk 'NR == FNR { o[$1] = $2; next }
       ($1 in o) { printf "%-10s %18.2f %18.2f %14.2f\n", $1, o[$1], $2, (o[$1] > 0 ? $2 / o[$1] : 0) }' "$3" "$4"
}

# Replace the section between "<!-- NAME:begin" and "<!-- NAME:end" lines of TARGET by SECTION-FILE (which carries
# both marker lines itself); append it when TARGET has no such section yet.
bench_record_section() { # name section-file target
  local name="$1" section="$2" target="$3"
  if grep -q "^<!-- $name:begin" "$target" 2>/dev/null; then
    awk -v file="$section" -v begin="^<!-- $name:begin" -v end="^<!-- $name:end" '
      $0 ~ begin { while ((getline line < file) > 0) print line; skip = 1; next }
      $0 ~ end { skip = 0; next }
      !skip { print }' "$target" > "$target.new" && mv "$target.new" "$target"
  else
    { echo; cat "$section"; } >> "$target"
  fi
}
