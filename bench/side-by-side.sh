#!/usr/bin/env bash
# Direct-to-upstream against through-the-broker, in one run, and the broker's
# start-up and memory: the figures issue 8 asks for, printed as one table.
#
#   bench/side-by-side.sh [requests] [before-ref or before-jar]
#
# Starts a fast Gafaelfawr stand-in (bench/contract_gafaelfawr.py, no Nagle
# delay) and the packaged jar on this machine's PostgreSQL (a fresh database per
# jar), then with `hey`:
#   - POST /tokens straight to the stand-in vs POST /service-tokens through the
#     broker, at 1, 16 and 64 concurrent: p50, p99, requests/s, added latency;
#   - audited issuances/s at 64 concurrent, with the chain verified afterwards;
#   - a fleet (bench/fleet.sh, one wrk, 64 connections): 64 callers, each minting 5 tokens
#     for each of its 10 bots (the default quotas: 5 per bot, 60 an hour per caller),
#     consecutive requests to different callers: issuances/s over the fleet's wall time
#     (the run lifts the quotas for the hot caller; no fleet caller or bot reaches a default),
#     beside the same 3,200 POSTs straight to the stand-in;
#   - start to ready (first 200 from /q/health/ready), median of 5;
#   - RSS when ready and after 10,000 issuances.
# With a git ref as second argument, the same is measured for that ref's jar in
# the same run (built in a temporary worktree), for a before/after comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

requests=${1:-2000}
before_ref=${2:-}
upstream_port=18301
broker_port=18302
# Well-formed tokens the stand-in accepts (it checks the form only): 22 characters per half.
half() { printf "$1%.0s" $(seq 22); }
admin=gt-$(half A).$(half B)
caller=gt-$(half C).$(half D)
jvm_flags=${BENCH_JVM_FLAGS:-}

command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start

python3 bench/contract_gafaelfawr.py $upstream_port 2>/dev/null & upstream=$!  # (stderr: wrk's closed connections)
trap 'kill $upstream 2>/dev/null || true; [ -n "${broker:-}" ] && kill $broker 2>/dev/null || true' EXIT

jars=()
labels=()
if [ -n "$before_ref" ] && [ -f "$before_ref" ]; then
  # A jar built already (quarkus-run.jar of an earlier commit): measured as it is.
  jars+=("$before_ref"); labels+=("before")
elif [ -n "$before_ref" ]; then
  worktree=$(mktemp -d)
  git worktree add -q --detach "$worktree" "$before_ref"
  (cd "$worktree" && ./mvnw -B -q -ntp package -DskipTests >/dev/null)
  jars+=("$worktree/target/quarkus-app/quarkus-run.jar"); labels+=("$before_ref")
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests >/dev/null
jars+=("target/quarkus-app/quarkus-run.jar"); labels+=("$(git rev-parse --short HEAD)")

# "p50 p99 rps" from hey's report
measure() {
  hey -n "$1" -c "$2" -m POST -T application/json -H "Authorization: bearer $3" -d "$4" "$5" |
    awk '/Requests\/sec/ {rps=$2} /50% in/ {p50=$3*1000} /99% in/ {p99=$3*1000} /Status code distribution/ {d=1}
         d && /\[[0-9]+\]/ {codes=codes $1 $2 " "} END {printf "%.2f %.2f %.0f %s\n", p50, p99, rps, codes}'
}

start_broker() { # database -> sets $broker and $ready_ms
  local started=$(date +%s%N)
  BROKER_GAFAELFAWR_URL=http://127.0.0.1:$upstream_port BROKER_GAFAELFAWR_ALLOW_INSECURE=true \
  BROKER_GAFAELFAWR_ADMIN_TOKEN=$admin QUARKUS_HTTP_PORT=$broker_port QUARKUS_MANAGEMENT_PORT=$((broker_port + 1)) \
  BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR=1000000000 BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT=1000000000 \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$1 QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_LOG_LEVEL=WARN QUARKUS_LOG_CATEGORY__AUDIT__LEVEL=WARN QUARKUS_LOG_CATEGORY__HTTP_REQUEST__LEVEL=WARN \
    java $jvm_flags -jar "$jar" >/tmp/bench-broker.log 2>&1 &
  broker=$!
  # Health moved to the management port (issue 11); an earlier commit's jar answers under the root path.
  until curl -sf -o /dev/null http://127.0.0.1:$((broker_port + 1))/q/health/ready \
      || curl -sf -o /dev/null http://127.0.0.1:$broker_port/service-token-broker/q/health/ready; do
    kill -0 $broker 2>/dev/null || { cat /tmp/bench-broker.log >&2; exit 1; }
    sleep 0.02
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
stop_broker() { kill $broker; wait $broker 2>/dev/null || true; broker=; }
rss() { echo $(( $(ps -o rss= -p "$broker") / 1024 )); }
fresh_database() { psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }

body='{"username": "bot-bench"}'
direct_body='{"username": "bot-bench", "token_type": "service", "scopes": ["write:sasquatch"]}'
printf '\n%-10s %5s | %9s %9s %8s | %9s %9s %8s | %9s %9s\n' jar conc "dir p50" "dir p99" "dir rps" \
  "brk p50" "brk p99" "brk rps" "add p50" "add p99"
for i in "${!jars[@]}"; do
  jar=${jars[$i]}; label=${labels[$i]}; db=bench_$i
  fresh_database $db
  start_broker $db
  first_ms=$ready_ms
  ready_rss=$(rss)
  measure 200 4 "$caller" "$body" http://127.0.0.1:$broker_port/service-token-broker/service-tokens >/dev/null # warm-up
  for c in 1 16 64; do
    read -r dp50 dp99 drps _ < <(measure "$requests" $c "$admin" "$direct_body" http://127.0.0.1:$upstream_port/auth/api/v1/tokens)
    read -r bp50 bp99 brps codes < <(measure "$requests" $c "$caller" "$body" http://127.0.0.1:$broker_port/service-token-broker/service-tokens)
    printf '%-10s %5s | %7.2fms %7.2fms %8s | %7.2fms %7.2fms %8s | %7.2fms %7.2fms  %s\n' "$label" $c \
      "$dp50" "$dp99" "$drps" "$bp50" "$bp99" "$brps" "$(echo "$bp50 - $dp50" | bc)" "$(echo "$bp99 - $dp99" | bc)" "$codes"
    [ $c = 64 ] && audited_rps=$brps
  done
  fleet_direct[$i]=$(bench/fleet.sh http://127.0.0.1:$upstream_port direct "d$i" "$admin")
  fleet_rps[$i]=$(bench/fleet.sh http://127.0.0.1:$broker_port broker "b$i")
  sleep 2 # let the sealer catch up
  verify=$(curl -s -H "Authorization: bearer $caller" http://127.0.0.1:$broker_port/service-token-broker/audit/verify)
  issued=$(psql -tA -h 127.0.0.1 -U postgres -d $db -c "SELECT COUNT(*) FROM audit_event WHERE outcome = 'issued'")
  measure 10000 16 "$caller" "$body" http://127.0.0.1:$broker_port/service-token-broker/service-tokens >/dev/null
  loaded_rss=$(rss)
  stop_broker
  starts=()
  for run in 1 2 3 4 5; do start_broker $db; starts+=("$ready_ms"); stop_broker; done
  median=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)
  summary[$i]="$label: fleet of 64 callers and bots = ${fleet_rps[$i]} issuances/s (direct to the stand-in ${fleet_direct[$i]}); audited issuances/s at 64 = $audited_rps ($issued issued records; verify: $verify); start to ready median of 5 = ${median} ms (runs: ${starts[*]}; first ${first_ms} ms); RSS ready ${ready_rss} MiB, after 10,000 issuances ${loaded_rss} MiB"
done
echo
printf '%s\n' "${summary[@]}"
[ -n "${worktree:-}" ] && git worktree remove --force "$worktree" || true
