#!/usr/bin/env bash
# Audited issuances per second, on H2 or PostgreSQL.
#
#   bench/issuance-throughput.sh h2|postgresql [requests] [concurrency]
#
# Builds the broker with the dev profile (so that the Gafaelfawr emulator is in
# the jar), runs it as a plain JVM (not dev mode), drives POST /service-tokens
# with `hey` and prints hey's summary, then checks that every issuance left an
# `issued` record and that the audit chain verifies. Each issuance is: caller
# check (cached), policy, ownership (the demo caller claims the bot once), the
# quota reservation, two committed audit appends, and one HTTP call to the
# emulator in the same JVM. (The quotas are lifted: they would refuse the load.)
set -euo pipefail
cd "$(dirname "$0")/.."

database=${1:-h2}
requests=${2:-2000}
concurrency=${3:-16}
port=18090
# The emulator's documented demo tokens (README), from their one source.
setting() { grep -m1 "^%dev,test\.$1=" src/main/resources/application.properties | cut -d= -f2-; }
demo=$(setting broker.emulator.demo-token)
admin=$(setting broker.gafaelfawr.admin-token)
app=target/bench-$database

command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; }

build=(-B -q -ntp package -DskipTests -Dquarkus.profile=dev -Dquarkus.package.output-directory="bench-$database")
run=(-Dquarkus.profile=dev -Dbroker.gafaelfawr.allow-insecure=true -Dquarkus.http.port=$port -Dquarkus.log.category.\"dev.tokenbroker\".level=WARN
     -Dquarkus.log.category.audit.level=WARN -Dquarkus.log.level=WARN
     -Dbroker.quota.issuances-per-caller-per-hour=1000000000 -Dbroker.quota.active-tokens-per-bot=1000000000)
case "$database" in
  h2)
    run+=(-Dquarkus.datasource.jdbc.url="jdbc:h2:file:./target/bench-h2/audit;LOCK_TIMEOUT=10000")
    rm -rf target/bench-h2/audit* ;;
  postgresql)
    build+=(-Dquarkus.datasource.db-kind=postgresql)
    run+=(-Dquarkus.datasource.db-kind=postgresql -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/test
          -Dquarkus.datasource.username=postgres) ;;
  *) echo "usage: $0 h2|postgresql [requests] [concurrency]" >&2; exit 2 ;;
esac

./mvnw "${build[@]}"
java "${run[@]}" -Dbroker.gafaelfawr.url=http://localhost:$port/emulator -jar "$app/quarkus-run.jar" \
  > "target/bench-$database.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://localhost:$port/q/openapi" && break
  sleep 1
done

bot="bot-bench-$(date +%s)"
body="{\"username\": \"$bot\"}"
# Warm up the JIT, the connection pools and the caller cache; not counted.
hey -n 200 -c "$concurrency" -m POST -H "Authorization: bearer $demo" -T application/json \
  -d "{\"username\": \"bot-warmup\"}" "http://localhost:$port/service-tokens" >/dev/null

echo "== $database: $requests audited issuances, $concurrency at a time, $(nproc) cores"
hey -n "$requests" -c "$concurrency" -m POST -H "Authorization: bearer $demo" -T application/json \
  -d "$body" "http://localhost:$port/service-tokens" | sed -n '/Summary/,/Latency distribution/p;/Status code distribution/,$p'

auditor=$(curl -s -H "Authorization: bearer $admin" --json '{"username":"auditor","token_type":"user","token_name":"bench","scopes":["admin:token"]}' \
  "http://localhost:$port/emulator/auth/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
issued=0
url="http://localhost:$port/audit/events?username=$bot&outcome=issued&limit=500"
while [ -n "$url" ]; do
  page=$(curl -s -D /tmp/bench-headers -H "Authorization: bearer $auditor" "$url")
  issued=$((issued + $( { grep -o '"outcome":"issued"' <<<"$page" || true; } | wc -l)))
  url=$(grep -i '^link:' /tmp/bench-headers | sed 's/.*<\(.*\)>.*/\1/' | tr -d '\r' || true)
done
echo "issued records for $bot: $issued of $requests"
echo "chain: $(curl -s -H "Authorization: bearer $auditor" "http://localhost:$port/audit/verify")"
