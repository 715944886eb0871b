# Sourced by the bench scripts (from the repository root): build_jar builds function/target/eks-lookout.jar, offline
# first, unless REBUILD=0 and the jar is there.
build_jar() {
  if [ "${REBUILD:-1}" = 1 ] || [ ! -f function/target/eks-lookout.jar ]; then
    echo "== building function/target/eks-lookout.jar" >&2
    mvn -o -q -B -pl function package -DskipTests 2>/dev/null || mvn -q -B -pl function package -DskipTests
  fi
}
