#!/usr/bin/env bash
# Where does one mint's time go? Runs the packaged jar (JVM flags from BENCH_JVM_FLAGS) on a
# fresh database against the stand-in, mints [mints] tokens ([concurrent] at a time, default 1) after a warm-up, and
# prints the broker's own timers per mint (the HTTP server, the Gafaelfawr POST, audit appends
# from insert to commit) and the pool's wait, from /q/metrics; with JFR=1 also a recording
# (target/mint.jfr) and its hottest methods (needs a JDK with `jfr view`, e.g. 21+).
#
#   [JAR=<quarkus-run.jar>] bench/mint-breakdown.sh [mints] [concurrent]
set -euo pipefail
cd "$(dirname "$0")/.."
mints=${1:-1000}
concurrent=${2:-1}
upstream_port=18321; broker_port=18322; db=bench_breakdown
half() { printf "$1%.0s" $(seq 22); }
admin=gt-$(half A).$(half B); caller=gt-$(half C).$(half D)
python3 bench/contract_gafaelfawr.py $upstream_port & upstream=$!
trap 'kill $upstream 2>/dev/null || true; [ -n "${broker:-}" ] && kill $broker 2>/dev/null || true' EXIT
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
jfr_flags=""; [ "${JFR:-}" = 1 ] && jfr_flags="-XX:StartFlightRecording=filename=target/mint.jfr,settings=profile"
BROKER_GAFAELFAWR_URL=http://127.0.0.1:$upstream_port BROKER_GAFAELFAWR_ALLOW_INSECURE=true \
BROKER_GAFAELFAWR_ADMIN_TOKEN=$admin QUARKUS_HTTP_PORT=$broker_port QUARKUS_MANAGEMENT_PORT=$((broker_port + 1)) \
BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR=1000000000 BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT=1000000000 \
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$db QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_LOG_LEVEL=WARN QUARKUS_LOG_CATEGORY__AUDIT__LEVEL=WARN QUARKUS_LOG_CATEGORY__HTTP_REQUEST__LEVEL=WARN \
  ${JAVA:-java} ${BENCH_JVM_FLAGS:-} $jfr_flags -jar ${JAR:-target/quarkus-app/quarkus-run.jar} >/tmp/bench-breakdown.log 2>&1 &
broker=$!
until curl -sf -o /dev/null http://127.0.0.1:$((broker_port + 1))/q/health/ready; do sleep 0.05; done
url=http://127.0.0.1:$broker_port/service-token-broker/service-tokens
hey -n 2000 -c 4 -m POST -T application/json -H "Authorization: bearer $caller" -d '{"username": "bot-bench"}' "$url" >/dev/null
metric() { curl -s http://127.0.0.1:$((broker_port + 1))/q/metrics | awk -v m="$1" -v f="$2" 'index($0, m) == 1 && index($0, f) {s += $NF} END {printf "%.6f", s}'; }
snapshot() {
  echo "$(metric http_server_requests_seconds_sum 'uri="/service-tokens"') $(metric http_server_requests_seconds_count 'uri="/service-tokens"')" \
       "$(metric broker_gafaelfawr_requests_seconds_sum "POST /tokens") $(metric broker_audit_append_seconds_sum 'committed') $(metric broker_audit_append_seconds_count 'committed')" \
       "$(metric agroal_blocking_time_total_milliseconds '') $(metric agroal_acquire_count_total '')"
}
read -r s0 c0 g0 a0 ac0 b0 q0 < <(snapshot)
hey -n "$mints" -c "$concurrent" -m POST -T application/json -H "Authorization: bearer $caller" -d '{"username": "bot-bench"}' "$url" |
  awk '/50% in/ {printf "client p50 %.2f ms, ", $3*1000} /99% in/ {printf "p99 %.2f ms\n", $3*1000}'
read -r s1 c1 g1 a1 ac1 b1 q1 < <(snapshot)
n=$(echo "$c1 - $c0" | bc)
printf 'per mint over %s: in the server %.2f ms; Gafaelfawr POST %.2f ms; audit appends (%s per mint) %.2f ms; pool wait %.3f ms; connections %.2f\n' \
  "$n" "$(echo "($s1 - $s0) * 1000 / $n" | bc -l)" "$(echo "($g1 - $g0) * 1000 / $n" | bc -l)" \
  "$(echo "($ac1 - $ac0) / $n" | bc -l | cut -c1-4)" "$(echo "($a1 - $a0) * 1000 / $n" | bc -l)" \
  "$(echo "($b1 - $b0) / $n" | bc -l)" "$(echo "($q1 - $q0) / $n" | bc -l)"
kill $broker; wait $broker 2>/dev/null || true; broker=
if [ "${JFR:-}" = 1 ]; then ${JFR_TOOL:-jfr} view --width 160 hot-methods target/mint.jfr | head -30; fi
