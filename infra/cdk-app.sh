#!/bin/sh
# The command cdk.json runs for `cdk synth` / `cdk deploy` (from the repository root).
# Starts the CDK app with plain `java` on the classpath Maven recorded at `mvn package` (no Maven per synth), after
# checking the build is current: if a source or pom is newer than the jars, it rebuilds first and says so. It never
# runs on a stale jar silently. (Rules are not built: the app reads rules/ directly at every synth.)
set -eu
cd "$(dirname "$0")/.."

jar=function/target/eks-lookout.jar
infra_jar=infra/target/eks-lookout-infra-0.1.0.jar
cp_file=infra/target/classpath.txt

# Maven rewrites the shaded jar on every package, and the infra jar whenever its classes change: so a source or
# pom newer than them means the build is out of date.
reason=""
if [ ! -f "$jar" ] || [ ! -f "$infra_jar" ] || [ ! -f "$cp_file" ]; then
  reason="no build yet"
else
  newer=$( { find pom.xml function/pom.xml infra/pom.xml function/src/main -type f -newer "$jar";
             find infra/src/main -type f -newer "$infra_jar"; } 2>/dev/null | head -n 1)
  if [ -n "$newer" ]; then
    reason="$newer changed since the last build"
  fi
fi
if [ -n "$reason" ]; then
  echo "eks-lookout: $reason; building (mvn -q -B package -DskipTests)" >&2
  log=$(mktemp)
  if ! mvn -q -B package -DskipTests > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "eks-lookout: the build failed; fix it and run cdk again" >&2
    exit 1
  fi
  rm -f "$log"
fi

# The deployed jar itself goes first on the classpath, so synth validates rules with exactly the Lambda's code;
# Maven's entry for the thin function jar is dropped.
deps=$(tr ':' '\n' < "$cp_file" | grep -v 'eks-lookout-function' | paste -sd: -)
exec java -cp "$jar:$infra_jar:$deps" io.ekslookout.infra.EksLookoutApp "$@"
