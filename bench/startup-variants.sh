#!/usr/bin/env bash
# Start-to-ready and resident memory of the packaged jar, JVM variants side by side in one run:
#   A  JDK 17, fast-jar, default flags (what `./mvnw package` gives)
#   B  JDK 17, fast-jar, the container flags of src/main/docker/Dockerfile.jvm
#   C  JDK 25, aot-jar + AOT cache trained by `./mvnw verify -Paot`, the same flags
#
#   bench/startup-variants.sh [runs-per-variant] [issuances]     (defaults 5, 10000)
#
# Needs PostgreSQL on 127.0.0.1:5432 (database test) and a JDK 25 (JAVA25_HOME, default
# Temurin's Debian path). Builds both variants into target/bench-startup/. Runs are
# interleaved (A B C A B C ...) so that the machine's noise falls on all alike.
# Ready = first 200 from /q/health/ready, measured from the fork of `java`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
issuances=${2:-10000}
java17=${JAVA17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
java25=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
flags=$(sed -n 's/^ENV JDK_JAVA_OPTIONS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm | sed 's/-D[^ ]*//g; s/-XX:AOTCache=[^ ]*//g')
out=$PWD/target/bench-startup
command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; }
pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start

if [ "${REUSE_BUILDS:-}" != 1 ]; then   # REUSE_BUILDS=1: measure the variants built by the last run again
  rm -rf "$out" && mkdir -p "$out"
  JAVA_HOME=$java17 ./mvnw -B -q -ntp package -DskipTests
  cp -a target/quarkus-app "$out/fast-jar"
  JAVA_HOME=$java25 ./mvnw -B -q -ntp verify -Paot -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ServedWorkloadIT
  cp -a target/quarkus-app "$out/aot-jar"   # -a: the cache checks the jars' timestamps
fi

python3 bench/contract_gafaelfawr.py 18095 &
fake=$!
trap 'kill $fake 2>/dev/null || true; pkill -f "$out/.*quarkus-run.jar" || true' EXIT
part() { head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
admin="gt-$(part).$(part)"
caller="gt-$(part).$(part)"

start_variant() { # variant -> sets $pid and $ready_ms
  local dir java opts
  case $1 in
    A) dir=fast-jar java=$java17 opts="" ;;
    B) dir=fast-jar java=$java17 opts=$flags ;;
    C) dir=aot-jar java=$java25 opts="$flags -XX:AOTCache=app.aot" ;;
  esac
  local started=$(date +%s%N)
  (cd "$out/$dir" && BROKER_GAFAELFAWR_URL=http://127.0.0.1:18095 BROKER_GAFAELFAWR_ALLOW_INSECURE=true \
    BROKER_GAFAELFAWR_ADMIN_TOKEN=$admin QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test \
  BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR=1000000000 BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT=1000000000 \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=18096 QUARKUS_MANAGEMENT_PORT=18097 \
    exec "$java/bin/java" $opts -jar quarkus-run.jar > "$out/$1.log" 2>&1) &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:18097/q/health/ready; do
    kill -0 $pid 2>/dev/null || { tail -20 "$out/$1.log"; exit 1; }
    sleep 0.01
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
rss_mib() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )); }
stop_variant() { kill $pid; wait $pid 2>/dev/null || true; }

declare -A starts ready_rss loaded_rss rps
for run in $(seq 1 "$runs"); do
  for v in A B C; do
    start_variant $v
    starts[$v]="${starts[$v]:-} $ready_ms"
    if [ "$run" = 1 ]; then
      ready_rss[$v]=$(rss_mib)
      rps[$v]=$(hey -n "$issuances" -c 16 -m POST -H "Authorization: bearer $caller" -T application/json \
        -d '{"username": "bot-startup-bench"}' http://127.0.0.1:18096/service-token-broker/service-tokens \
        | awk '/Requests\/sec/ {printf "%.0f", $2}')
      loaded_rss[$v]=$(rss_mib)
    fi
    stop_variant
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-48s %12s %24s %10s %12s %14s\n' variant "ready (med)" "runs (ms)" "RSS ready" "RSS loaded" "issuances/s"
for v in A B C; do
  case $v in
    A) label="A  JDK 17 fast-jar, default flags" ;;
    B) label="B  JDK 17 fast-jar, container flags" ;;
    C) label="C  JDK 25 aot-jar + AOT cache, container flags" ;;
  esac
  printf '%-48s %9s ms %24s %6s MiB %8s MiB %14s\n' "$label" "$(echo "${starts[$v]}" | median)" "${starts[$v]# }" \
    "${ready_rss[$v]}" "${loaded_rss[$v]}" "${rps[$v]}"
done
echo "container flags: $flags; RSS loaded = after $issuances issuances at 16 concurrent; $(nproc) cores"
