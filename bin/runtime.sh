# Shared by bin/mpi4jrun and bin/mpi4jjavac (sourced, not run): locate, build and describe the mpi4j runtime.
# Expects MPI4J_HOME (the repository root).

# Same flags as the build's mpi4j.jvm.flags and io.mpi4j.launcher.RuntimeJvmFlags.
MPI4J_JVM_FLAGS="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED"

mpi4j_java() {
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

mpi4j_javac() {
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME/bin/javac"; else echo javac; fi
}

# Maven as the scripts run it: batch mode, no colours. Debian's Maven 3.8 (jansi 2) still writes colour resets
# (ESC[0m) into its output without a terminal, so the output is also stripped of escapes; the status is Maven's.
mpi4j_mvn() {
  local status
  set +e
  mvn -B -Dstyle.color=never "$@" 2>&1 | sed -u $'s/\e\[[0-9;]*m//g'
  status="${PIPESTATUS[0]}"
  set -e
  return "$status"
}

# The runtime's jars, what every rank gets: core first, then every transport (shm, tcp, and rdma when built).
mpi4j_jars() {
  local jar
  for jar in "$MPI4J_HOME"/core/target/mpi4j-core-*.jar "$MPI4J_HOME"/transport-*/target/mpi4j-transport-*.jar; do
    case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    [ -f "$jar" ] && echo "$jar"
  done
  return 0
}

# Modules mpi4jrun needs: core, shm, tcp and the launcher always; rdma when its native build can run here (gcc and the
# rdma-core headers; ci/test.sh installs them, a quick start on a bare machine does without). Compiling a program
# (mpi4jjavac) needs only core: MPI4J_MODULES=core narrows what is checked and built.
mpi4j_modules() {
  if [ -n "${MPI4J_MODULES:-}" ]; then
    echo "$MPI4J_MODULES"
  elif [ -d "$MPI4J_HOME/transport-rdma" ] && command -v gcc >/dev/null 2>&1 \
     && [ -f /usr/include/infiniband/verbs.h ] && [ -f /usr/include/rdma/rdma_cma.h ]; then
    echo "core transport-shm transport-tcp transport-rdma launcher"
  else
    echo "core transport-shm transport-tcp launcher"
  fi
}

mpi4j_needs_build() {
  local module jar
  for module in $(mpi4j_modules); do
    jar="$(mpi4j_module_jar "$module")"
    if [ -z "$jar" ] || [ ! -f "$MPI4J_HOME/$module/target/runtime.classpath" ]; then
      return 0
    fi
    if [ -n "$(find "$MPI4J_HOME/$module/src/main" "$MPI4J_HOME/$module/pom.xml" "$MPI4J_HOME/pom.xml" \
                 -newer "$jar" -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  done
  return 1
}

# The module's jar, or nothing. No `ls | head` here: under pipefail, head closing the pipe early kills ls with
# SIGPIPE now and then, and the caller's script with it.
mpi4j_module_jar() {
  local jar
  for jar in "$MPI4J_HOME/$1"/target/mpi4j-"$1"-*.jar; do
    case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    if [ -f "$jar" ]; then echo "$jar"; return 0; fi
  done
  return 0
}

mpi4j_ensure_built() {
  local modules module jar
  if mpi4j_needs_build; then
    modules="$(mpi4j_modules | tr ' ' ',')"
    echo "mpi4j: building the runtime (mvn package -pl $modules)..." >&2
    (cd "$MPI4J_HOME" && mpi4j_mvn -q -DskipTests -pl "$modules" -am package) >&2 || {
      echo "mpi4j: building the runtime failed" >&2
      exit 1
    }
    # Maven leaves a jar whose classes did not change as it was: its time would keep asking for this build.
    for module in $(mpi4j_modules); do
      jar="$(mpi4j_module_jar "$module")"
      [ -n "$jar" ] && touch "$jar"
    done
    if mpi4j_has_launcher; then mpi4j_make_class_archive; fi
  elif mpi4j_has_launcher && mpi4j_class_archive_stale; then
    # Built by Maven directly (the benchmark and CI scripts do): make the archive now, not in a job's background.
    mpi4j_make_class_archive
  fi
}

# True when the launcher is among the modules asked for (it makes the class-data archive).
mpi4j_has_launcher() {
  case " $(mpi4j_modules) " in *" launcher "*) return 0 ;; *) return 1 ;; esac
}

# True when the jars are newer than the last class-data archive made for them (or none was ever made).
mpi4j_class_archive_stale() {
  local file module jar
  case "${MPI4J_CDS:-1}" in 0|off|false|no) return 1 ;; esac
  file="$(mpi4j_cds_path_file)"
  [ -e "$file" ] || return 0
  for module in $(mpi4j_modules); do
    jar="$(mpi4j_module_jar "$module")"
    if [ -n "$jar" ] && [ "$jar" -nt "$file" ]; then return 0; fi
  done
  return 1
}

# Where the launcher's own JVM finds the runtime's class-data archive (io.mpi4j.launcher.ClassDataArchive).
mpi4j_cds_path_file() {
  echo "$MPI4J_HOME/core/target/mpi4j-cds.path"
}

# The class-data archive of the jars just built, made once now rather than in the background of the first job: every
# rank, spawned child and launcher then starts with the runtime's classes already parsed and verified.
mpi4j_make_class_archive() {
  local path file
  file="$(mpi4j_cds_path_file)"
  rm -f "$file"
  path="$("$(mpi4j_java)" $MPI4J_JVM_FLAGS -cp "$(mpi4j_launcher_classpath)" io.mpi4j.launcher.ClassDataArchive --create)" \
    || path=""
  # Written even when empty (no archive for this class path, or the dump failed): the next launch does not retry.
  echo "$path" > "$file" 2>/dev/null || true
  return 0
}

# JVM options mapping the class-data archive into the launcher's JVM (none when there is no archive; a JVM that
# finds the archive stale does without it, silently).
mpi4j_launcher_cds_options() {
  local path file
  file="$(mpi4j_cds_path_file)"
  [ -s "$file" ] || return 0
  path="$(cat "$file")"
  case "$path" in *[[:space:]]*) return 0 ;; esac
  case "${MPI4J_CDS:-1}" in 0|off|false|no) return 0 ;; esac
  [ -f "$path" ] && echo "-XX:SharedArchiveFile=$path -Xlog:cds=off -Xlog:cds+dynamic=off"
  return 0
}

# What the ranks run on: core jar : transport jars : their dependencies (from the runtime.classpath files the
# package phase writes), each once: the modules share dependencies (Agrona), and every repeat is one more place the
# JVM looks. No launcher and no picocli: an MPI program carries neither.
mpi4j_runtime_classpath() {
  local cp="" jar f
  while IFS= read -r jar; do cp="${cp:+$cp:}$jar"; done < <(mpi4j_jars)
  for f in "$MPI4J_HOME"/core/target/runtime.classpath "$MPI4J_HOME"/transport-*/target/runtime.classpath; do
    [ -s "$f" ] && cp="$cp:$(tr -d '\n' < "$f")"
  done
  mpi4j_dedup_classpath "$cp"
}

# The launcher's class path: the ranks' first, then the launcher's jar and its own dependencies (picocli). The
# launcher hands the ranks its class path less its own part (io.mpi4j.launcher.RuntimeClassPath), and the
# class-data archive made for the ranks' class path maps into the launcher too, since it is a prefix of this one.
mpi4j_launcher_classpath() {
  local cp jar f="$MPI4J_HOME/launcher/target/runtime.classpath"
  cp="$(mpi4j_runtime_classpath)"
  jar="$(mpi4j_module_jar launcher)"
  [ -n "$jar" ] && cp="$cp:$jar"
  [ -s "$f" ] && cp="$cp:$(tr -d '\n' < "$f")"
  mpi4j_dedup_classpath "$cp"
}

mpi4j_dedup_classpath() {
  echo "$1" | tr ':' '\n' | awk 'NF && !seen[$0]++' | paste -sd: -
}

# Just the core jar (what user code compiles against).
mpi4j_core_jar() {
  mpi4j_module_jar core
}
