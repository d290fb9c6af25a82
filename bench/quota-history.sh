#!/usr/bin/env bash
# Does a mint's cost grow with the caller's history? Issue 17's check, as a benchmark.
#
#   bench/quota-history.sh [mints] [before-ref or before-jar]
#
# For each jar (this one, and with a git ref the jar of that ref, built in a temporary
# worktree), on a fresh PostgreSQL database with the quotas lifted: caller fleet-aa is
# given 50,000 issuances in the last hour and caller fleet-bb 10 (rows written in SQL, as
# the broker would have written them), then each mints [mints] tokens for its own bot, one
# at a time, through the stand-in Gafaelfawr (bench/contract_gafaelfawr.py). Prints p50, p99
# and mints/s for both callers side by side, and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

mints=${1:-500}
before_ref=${2:-}
upstream_port=18311
broker_port=18312
half() { printf "$1%.0s" $(seq 22); }
admin=gt-$(half A).$(half B)
heavy=gt-fleetaa$(printf 'F%.0s' $(seq 15)).$(half E)
light=gt-fleetbb$(printf 'F%.0s' $(seq 15)).$(half E)

command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; }
pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
python3 bench/contract_gafaelfawr.py $upstream_port & upstream=$!
trap 'kill $upstream 2>/dev/null || true; [ -n "${broker:-}" ] && kill $broker 2>/dev/null || true' EXIT

jars=(); labels=()
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

sql() { psql -q -tA -h 127.0.0.1 -U postgres -d "$db" -c "$1"; }
seed() { # caller count: issuances in the last hour, every one already revoked (they count for the caller only)
  sql "INSERT INTO quota_caller (username) VALUES ('$1') ON CONFLICT DO NOTHING"
  sql "INSERT INTO service_token (issuance_id, username, state, token_key, name, scopes, expires, requested_by,
         reserved_at, issued_at, revoked_at)
       SELECT md5('$1' || i), 'bot-seed-$1', 'issued', substr(md5('$1' || i), 1, 22), NULL, 'write:sasquatch',
         extract(epoch FROM now())::bigint + 86400, '$1',
         (extract(epoch FROM now()) * 1000)::bigint - 1000 - (i * 3000000::bigint / $2),
         (extract(epoch FROM now()) * 1000)::bigint, (extract(epoch FROM now()) * 1000)::bigint
       FROM generate_series(1, $2) AS i"
  # This jar's minute buckets, where it has them (an earlier jar counts the rows above).
  sql "SELECT to_regclass('quota_caller_minute')" | grep -q quota_caller_minute && sql "
       INSERT INTO quota_caller_minute (username, epoch_minute, issued)
       SELECT requested_by, reserved_at / 60000, COUNT(*) FROM service_token WHERE requested_by = '$1'
       GROUP BY requested_by, reserved_at / 60000" || true
}
measure() { # token bot -> "p50 p99 rps"
  hey -n "$mints" -c 1 -m POST -T application/json -H "Authorization: bearer $1" -d "{\"username\": \"$2\"}" \
      http://127.0.0.1:$broker_port/service-token-broker/service-tokens |
    awk '/Requests\/sec/ {rps=$2} /50% in/ {p50=$3*1000} /99% in/ {p99=$3*1000} END {printf "%.2f %.2f %.0f\n", p50, p99, rps}'
}

printf '\n%-10s | %-28s | %-28s | %s\n' jar "10 earlier: p50 p99 rps" "50,000 earlier: p50 p99 rps" "p50 ratio"
for i in "${!jars[@]}"; do
  jar=${jars[$i]}; db=bench_history_$i
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  BROKER_GAFAELFAWR_URL=http://127.0.0.1:$upstream_port BROKER_GAFAELFAWR_ALLOW_INSECURE=true \
  BROKER_GAFAELFAWR_ADMIN_TOKEN=$admin QUARKUS_HTTP_PORT=$broker_port QUARKUS_MANAGEMENT_PORT=$((broker_port + 1)) \
  BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR=1000000000 BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT=1000000000 \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$db QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_LOG_LEVEL=WARN QUARKUS_LOG_CATEGORY__AUDIT__LEVEL=WARN QUARKUS_LOG_CATEGORY__HTTP_REQUEST__LEVEL=WARN \
    java -jar "$jar" >/tmp/bench-history.log 2>&1 &
  broker=$!
  until curl -sf -o /dev/null http://127.0.0.1:$((broker_port + 1))/q/health/ready; do
    kill -0 $broker 2>/dev/null || { cat /tmp/bench-history.log >&2; exit 1; }
    sleep 0.05
  done
  seed fleet-bb 10
  seed fleet-aa 50000
  sql "ANALYZE"
  measure "$light" bot-history-light >/dev/null # warm-up, and the claims
  measure "$heavy" bot-history-heavy >/dev/null
  read -r lp50 lp99 lrps < <(measure "$light" bot-history-light)
  read -r hp50 hp99 hrps < <(measure "$heavy" bot-history-heavy)
  printf '%-10s | %8sms %8sms %6s/s | %8sms %8sms %6s/s | %s\n' "${labels[$i]}" "$lp50" "$lp99" "$lrps" \
    "$hp50" "$hp99" "$hrps" "$(echo "scale=2; $hp50 / $lp50" | bc)"
  kill $broker; wait $broker 2>/dev/null || true; broker=
done
[ -n "${worktree:-}" ] && git worktree remove --force "$worktree" || true
