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

# The runtime's jars: core first, then every transport (shm, and rdma when built).
mpi4j_jars() {
  local jar
  for jar in "$MPI4J_HOME"/core/target/mpi4j-core-*.jar "$MPI4J_HOME"/transport-*/target/mpi4j-transport-*.jar; do
    case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    [ -f "$jar" ] && echo "$jar"
  done
  return 0
}

mpi4j_needs_build() {
  local core shm stamp
  core="$(ls "$MPI4J_HOME"/core/target/mpi4j-core-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)"
  shm="$(ls "$MPI4J_HOME"/transport-shm/target/mpi4j-transport-shm-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)"
  if [ -z "$core" ] || [ -z "$shm" ] \
     || [ ! -f "$MPI4J_HOME/core/target/runtime.classpath" ] \
     || [ ! -f "$MPI4J_HOME/transport-shm/target/runtime.classpath" ]; then
    return 0
  fi
  # The older of the two jars is the build's age.
  stamp="$core"
  [ "$shm" -ot "$stamp" ] && stamp="$shm"
  if [ -n "$(find "$MPI4J_HOME/core/src/main" "$MPI4J_HOME/transport-shm/src/main" \
                  "$MPI4J_HOME/pom.xml" "$MPI4J_HOME/core/pom.xml" "$MPI4J_HOME/transport-shm/pom.xml" \
                  -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  return 1
}

mpi4j_ensure_built() {
  if mpi4j_needs_build; then
    echo "mpi4j: building the runtime (mvn package -pl core,transport-shm)..." >&2
    (cd "$MPI4J_HOME" && mvn -q -B -Dstyle.color=never -DskipTests -pl core,transport-shm -am package) >&2 || {
      echo "mpi4j: building the runtime failed" >&2
      exit 1
    }
  fi
}

# core jar : transport jars : their dependencies (from the runtime.classpath files the package phase writes).
mpi4j_runtime_classpath() {
  local cp="" jar f
  while IFS= read -r jar; do cp="${cp:+$cp:}$jar"; done < <(mpi4j_jars)
  for f in "$MPI4J_HOME"/core/target/runtime.classpath "$MPI4J_HOME"/transport-*/target/runtime.classpath; do
    [ -s "$f" ] && cp="$cp:$(tr -d '\n' < "$f")"
  done
  echo "$cp"
}

# Just the core jar (what user code compiles against).
mpi4j_core_jar() {
  mpi4j_jars | head -n 1
}
