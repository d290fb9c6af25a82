#!/usr/bin/env bash
# What a Kubernetes readiness probe meets while Gafaelfawr hangs, for an earlier
# commit's jar and this one, side by side in one run.
#
#   bench/readiness-probe.sh [before-ref] [seconds]
#
# Each jar starts against bench/contract_gafaelfawr.py on this machine's
# PostgreSQL, becomes ready, then the stand-in starts answering token-info 20 s
# late (longer than the broker's read timeout). For [seconds] (default 45) the
# readiness route is asked every 0.5 s, as a probe would, and the script prints
# how long each answer took: median, maximum, and how many took longer than the
# Deployment's timeoutSeconds (3 s), i.e. probes the kubelet would count as failed
# for want of an answer rather than for the answer itself. Both jars check the admin
# token every 15 s (BROKER_HEALTH_ADMIN_TOKEN_CHECK_INTERVAL).
set -euo pipefail
cd "$(dirname "$0")/.."

before_ref=${1:-7f89e76}
seconds=${2:-45}
upstream_port=18311
broker_port=18312
half() { printf "$1%.0s" $(seq 22); }
admin=gt-$(half A).$(half B)
delay_file=$(mktemp)
echo 0 > "$delay_file"

pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
STANDIN_DELAY_FILE=$delay_file python3 bench/contract_gafaelfawr.py $upstream_port & upstream=$!
trap 'kill $upstream 2>/dev/null || true; [ -n "${broker:-}" ] && kill $broker 2>/dev/null || true' EXIT

worktree=$(mktemp -d)
git worktree add -q --detach "$worktree" "$before_ref"
(cd "$worktree" && ./mvnw -B -q -ntp package -DskipTests >/dev/null)
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests >/dev/null

# Health moved to the management port (issue 11); the earlier jar answers under the root path.
ready_url() { curl -sf -o /dev/null "http://127.0.0.1:$((broker_port + 1))/q/health/ready" \
  && echo "http://127.0.0.1:$((broker_port + 1))/q/health/ready" \
  || echo "http://127.0.0.1:$broker_port/service-token-broker/q/health/ready"; }

run() {
  local label=$1 jar=$2 database=bench_readiness
  echo 0 > "$delay_file"
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" postgres
  BROKER_GAFAELFAWR_URL=http://127.0.0.1:$upstream_port BROKER_GAFAELFAWR_ALLOW_INSECURE=true \
  BROKER_GAFAELFAWR_ADMIN_TOKEN=$admin BROKER_HEALTH_ADMIN_TOKEN_CHECK_INTERVAL=15s \
  QUARKUS_HTTP_PORT=$broker_port QUARKUS_MANAGEMENT_PORT=$((broker_port + 1)) \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$database QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_LOG_LEVEL=WARN java -jar "$jar" >/tmp/bench-readiness.log 2>&1 &
  broker=$!
  local url
  until url=$(ready_url) && curl -sf -o /dev/null "$url"; do
    kill -0 $broker 2>/dev/null || { cat /tmp/bench-readiness.log >&2; exit 1; }
    sleep 0.1
  done
  echo 20 > "$delay_file"
  local end=$(( $(date +%s) + seconds )) times=()
  while [ "$(date +%s)" -lt "$end" ]; do
    times+=("$(curl -s -o /dev/null -m 30 -w '%{time_total} %{http_code}' "$url")")
    sleep 0.5
  done
  kill $broker; wait $broker 2>/dev/null || true; broker=
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
    { t[NR] = $1 * 1000; if ($1 > 3) slow++; codes[$2]++ }
    END { c = ""; for (k in codes) c = c k "x" codes[k] " ";
          printf "| %s | %d | %.0f ms | %.0f ms | %d | %s|\n", label, NR, t[int((NR + 1) / 2)], t[NR], slow, c }'
}

echo "| jar | probes | median | max | over 3 s | statuses |"
echo "|---|---|---|---|---|---|"
run "$before_ref" "$worktree/target/quarkus-app/quarkus-run.jar"
run "$(git rev-parse --short HEAD)" target/quarkus-app/quarkus-run.jar
git worktree remove --force "$worktree"
