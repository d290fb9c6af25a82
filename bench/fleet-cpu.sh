#!/usr/bin/env bash
# CPU per mint of each process while a warm fleet mints (bench/fleet.sh, 3,200 mints):
# the broker (JAR, default target/quarkus-app; quotas lifted so that the warm-up pass may
# reuse the fleet's callers and bots), PostgreSQL (all its processes), the stand-in, and the
# whole machine, from /proc (clock ticks of 10 ms). JFR=1 also records the broker
# (JDK 25, target/fleet.jfr) for `jfr print --events jdk.ExecutionSample`.
#   [JAR=<quarkus-run.jar>] bench/fleet-cpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
db=bench_fleetcpu; up=18331; bp=18332
half() { printf "$1%.0s" $(seq 22); }; admin=gt-$(half A).$(half B)
python3 bench/contract_gafaelfawr.py $up 2>/dev/null & upstream=$!
jfr=""; [ "${JFR:-}" = 1 ] && { jfr="-XX:StartFlightRecording=filename=target/fleet.jfr,settings=profile"; JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}; }
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" 2>/dev/null
BROKER_GAFAELFAWR_URL=http://127.0.0.1:$up BROKER_GAFAELFAWR_ALLOW_INSECURE=true BROKER_GAFAELFAWR_ADMIN_TOKEN=$admin \
QUARKUS_HTTP_PORT=$bp QUARKUS_MANAGEMENT_PORT=$((bp+1)) QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$db \
BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR=1000000000 BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT=1000000000 QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_LOG_LEVEL=WARN QUARKUS_LOG_CATEGORY__AUDIT__LEVEL=WARN QUARKUS_LOG_CATEGORY__HTTP_REQUEST__LEVEL=WARN \
  ${JAVA:-java} $jfr -jar ${JAR:-target/quarkus-app/quarkus-run.jar} > /tmp/fleetcpu.log 2>&1 & broker=$!
until curl -sf -o /dev/null http://127.0.0.1:$((bp+1))/q/health/ready; do sleep 0.05; done
bench/fleet.sh http://127.0.0.1:$bp broker warm > /dev/null   # warm-up: its callers and bots are then known
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
pgticks() { for p in $(pgrep -u postgres); do awk '{print $14+$15}' /proc/$p/stat 2>/dev/null; done | awk '{s+=$1} END {print s}'; }
b0=$(ticks $broker); p0=$(pgticks); u0=$(ticks $upstream); t0=$(awk '/^cpu / {print $2+$3+$4+$6+$7+$8}' /proc/stat)
r=$(bench/fleet.sh http://127.0.0.1:$bp broker run)
b1=$(ticks $broker); p1=$(pgticks); u1=$(ticks $upstream); t1=$(awk '/^cpu / {print $2+$3+$4+$6+$7+$8}' /proc/stat)
per_mint() { echo "scale=2; ($2 - $1) * 10 / 3200" | bc; }
echo "fleet $r; CPU ms per mint: broker $(per_mint $b0 $b1), PostgreSQL $(per_mint $p0 $p1), stand-in $(per_mint $u0 $u1), machine $(per_mint $t0 $t1)"
kill $broker $upstream; wait $broker 2>/dev/null || true
