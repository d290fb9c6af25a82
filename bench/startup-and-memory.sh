#!/usr/bin/env bash
# Startup-to-ready time and resident memory of the packaged jar (prod profile).
#
#   bench/startup-and-memory.sh [runs]
#
# Needs PostgreSQL on 127.0.0.1:5432 (database test, user postgres) and builds the
# jar if it is missing. A stand-in Gafaelfawr (bench/contract_gafaelfawr.py)
# answers token-info, so readiness means: started, database reachable, admin
# token accepted. Prints, per run, milliseconds from `java -jar` to the first
# 200 from /q/health/ready, and VmRSS when ready and after 1000 issuances.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -B -q -ntp package -DskipTests
command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; }

python3 bench/contract_gafaelfawr.py 18095 &
fake=$!
trap 'kill $fake 2>/dev/null || true' EXIT
part() { head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
token="gt-$(part).$(part)"
caller="gt-$(part).$(part)"

for run in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  BROKER_GAFAELFAWR_URL=http://127.0.0.1:18095 BROKER_GAFAELFAWR_ALLOW_INSECURE=true \
  BROKER_GAFAELFAWR_ADMIN_TOKEN=$token BROKER_POLICY_ALLOW_SERVICE_CALLERS=true \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/test QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_HTTP_PORT=18096 QUARKUS_LOG_LEVEL=WARN java -jar "$jar" > target/startup-run.log 2>&1 &
  broker=$!
  until curl -sf -o /dev/null http://127.0.0.1:18096/service-token-broker/q/health/ready; do
    kill -0 $broker 2>/dev/null || { cat target/startup-run.log; exit 1; }
    sleep 0.02
  done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss_ready=$(awk '/VmRSS/ {print $2}' /proc/$broker/status)
  hey -n 1000 -c 8 -m POST -H "Authorization: bearer $caller" -T application/json \
    -d '{"username": "bot-startup-bench"}' http://127.0.0.1:18096/service-token-broker/service-tokens \
    | grep -E 'Requests/sec|\[201\]' | tr -s ' \t' ' ' | tr '\n' ' ' > target/startup-load.txt
  rss_loaded=$(awk '/VmRSS/ {print $2}' /proc/$broker/status)
  echo "run $run: ready in ${ready_ms} ms; RSS ready $((rss_ready / 1024)) MiB, after 1000 issuances $((rss_loaded / 1024)) MiB ($(cat target/startup-load.txt))"
  kill $broker; wait $broker 2>/dev/null || true
done
echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; default JVM heap settings"
