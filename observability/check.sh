#!/usr/bin/env bash
# Checks the http-pool observability files, and optionally that a real Prometheus
# server scrapes the pool meters from a running sample app.
#
#   observability/check.sh                 promtool check + unit tests of the alert
#                                          rules, dashboard JSON syntax
#   observability/check.sh <sample-app.jar>   the same, then end to end: start the
#                                          app and a Prometheus server on free
#                                          loopback ports, and wait until a query of
#                                          http_pool_utilization{client="transcription"}
#                                          through Prometheus' HTTP API returns a series
#
# Needs: promtool and prometheus (Debian package "prometheus"), java, curl, python3.
# Everything it starts runs on 127.0.0.1 in a temporary directory and is stopped on
# exit, whatever the outcome. It never uses the system Prometheus service, its
# configuration, ports or data.
#
# Environment (all optional):
#   HTTP_POOL_CHECK_METRIC    metric to wait for (default http_pool_utilization)
#   HTTP_POOL_CHECK_CLIENT    client name to find in it (default transcription)
#   HTTP_POOL_CHECK_LABEL     label that holds the client name (default client);
#                             empty to accept any series of the metric, e.g. with
#                             HTTP_POOL_CHECK_METRIC=jvm_threads_live_threads
#   HTTP_POOL_CHECK_TIMEOUT   seconds to wait for the app, for Prometheus and for the
#                             series, each (default 60)
#   HTTP_POOL_CHECK_ADD_CLIENT  auto (default): configure the client through
#                             command-line properties unless the jar's application
#                             properties/YAML already name it; always; never
#   HTTP_POOL_CHECK_APP_ARGS  extra arguments for the app (split on spaces)
#   JAVA_OPTS                 JVM options for the app (default -Xmx1g: the sample's speech
#                             recognizers need about 500 MB)
#   PROMETHEUS, PROMTOOL, JAVA  binaries (default /usr/bin/prometheus, promtool, java)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rules="$here/prometheus/http-pool-alerts.yml"
rule_tests="$here/prometheus/http-pool-alerts.test.yml"
dashboard="$here/grafana/http-pool-dashboard.json"

metric="${HTTP_POOL_CHECK_METRIC:-http_pool_utilization}"
client="${HTTP_POOL_CHECK_CLIENT:-transcription}"
label="${HTTP_POOL_CHECK_LABEL-client}"
timeout="${HTTP_POOL_CHECK_TIMEOUT:-60}"
add_client="${HTTP_POOL_CHECK_ADD_CLIENT:-auto}"
prometheus="${PROMETHEUS:-/usr/bin/prometheus}"
promtool="${PROMTOOL:-promtool}"
java="${JAVA:-java}"
java_opts="${JAVA_OPTS:--Xmx1g}"

work=""
app_pid=""
prometheus_pid=""

log() {
	printf '[check] %s\n' "$*"
}

fail() {
	printf '[check] FAILED: %s\n' "$*" >&2
	if [[ -n "$work" ]]; then
		for file in "$work/app.log" "$work/prometheus.log"; do
			if [[ -s "$file" ]]; then
				printf '[check] ---- last lines of %s ----\n' "$(basename "$file")" >&2
				tail -n 40 "$file" >&2 || true
			fi
		done
	fi
	exit 1
}

# Stop one process we started: TERM, up to 15 s to exit, then KILL.
stop() {
	local pid="$1" name="$2"
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		log "stopping $name (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 150); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "$name did not stop in 15 s, killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	fi
}

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop "$prometheus_pid" prometheus
	stop "$app_pid" "sample app"
	if [[ -n "$work" ]]; then
		rm -rf "$work"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require() {
	command -v "$1" >/dev/null 2>&1 || fail "$1 not found${2:+: $2}"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---- 1. Rules and dashboard, offline ---------------------------------------------

require "$promtool" "install Debian's prometheus package (apt-get install prometheus)"
require python3

log "promtool check rules"
"$promtool" check rules "$rules" || fail "promtool check rules $rules"

log "promtool test rules"
(cd "$(dirname "$rule_tests")" && "$promtool" test rules "$(basename "$rule_tests")") \
	|| fail "promtool test rules $rule_tests"

log "dashboard JSON"
python3 - "$dashboard" <<'PY' || fail "invalid dashboard $dashboard"
import json, sys
dashboard = json.load(open(sys.argv[1]))
panels = [p for p in dashboard["panels"] if p.get("type") != "row"]
queries = [t["expr"] for p in panels for t in p.get("targets", [])]
assert panels and queries, "no panels or no queries"
print(f"  {dashboard['title']}: {len(panels)} panels, {len(queries)} queries")
PY

if [[ $# -eq 0 ]]; then
	log "OK (no jar given: end-to-end scrape check skipped)"
	exit 0
fi

# ---- 2. End to end: the sample app scraped by a real Prometheus -------------------

jar="$1"
shift
[[ -f "$jar" ]] || fail "no such jar: $jar (build it with: mvn -B package -pl sample-app -am)"
require "$java"
require curl
[[ -x "$prometheus" ]] || fail "$prometheus not found: install Debian's prometheus package"
python3 - "$jar" <<'PY' || fail "$jar is not an executable Spring Boot jar (no BOOT-INF/): is the sample app repackaged?"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(0 if any(n.startswith("BOOT-INF/") for n in names) else 1)
PY

work="$(mktemp -d "${TMPDIR:-/tmp}/http-pool-check.XXXXXX")"
app_port="$(free_port)"
prometheus_port="$(free_port)"
while [[ "$prometheus_port" == "$app_port" ]]; do
	prometheus_port="$(free_port)"
done

app_args=(
	"--server.address=127.0.0.1"
	"--server.port=$app_port"
	"--management.server.port=$app_port"
	"--management.endpoints.web.base-path=/actuator"
	"--management.endpoints.web.exposure.include=health,prometheus,httppools"
)
case "$add_client" in
	always) configure_client=yes ;;
	never) configure_client=no ;;
	auto)
		# Does the jar's own configuration name the client?
		if python3 - "$jar" "$client" <<'PY'; then configure_client=no; else configure_client=yes; fi
import re, sys, zipfile
jar, client = zipfile.ZipFile(sys.argv[1]), sys.argv[2]
config = [n for n in jar.namelist()
          if re.fullmatch(r"BOOT-INF/classes/application[^/]*\.(properties|ya?ml)", n)]
sys.exit(0 if any(client in jar.read(n).decode("utf-8", "replace") for n in config) else 1)
PY
		;;
	*) fail "HTTP_POOL_CHECK_ADD_CLIENT must be auto, always or never but was $add_client" ;;
esac
if [[ "$configure_client" == yes ]]; then
	# A client with every default: it publishes its meters without any traffic.
	log "the jar does not configure client '$client': adding it on the command line"
	app_args+=("--http.pool.clients.$client.max-connections=50")
fi
if [[ -n "${HTTP_POOL_CHECK_APP_ARGS:-}" ]]; then
	read -r -a extra_args <<<"$HTTP_POOL_CHECK_APP_ARGS"
	app_args+=("${extra_args[@]}")
fi

log "starting $(basename "$jar") on 127.0.0.1:$app_port"
read -r -a jvm_args <<<"$java_opts"
"$java" "${jvm_args[@]}" -jar "$jar" "${app_args[@]}" >"$work/app.log" 2>&1 &
app_pid=$!

app_url="http://127.0.0.1:$app_port"
deadline=$((SECONDS + timeout))
until curl -fsS -o "$work/scrape.txt" "$app_url/actuator/prometheus" 2>/dev/null; do
	kill -0 "$app_pid" 2>/dev/null || fail "the sample app exited during startup"
	((SECONDS < deadline)) || fail "the sample app did not serve $app_url/actuator/prometheus within ${timeout}s"
	sleep 0.5
done
log "the app serves /actuator/prometheus ($(wc -l <"$work/scrape.txt") lines)"

mkdir -p "$work/data"
cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - "$rules"
scrape_configs:
  - job_name: http-pool-sample
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["127.0.0.1:$app_port"]
EOF

log "starting prometheus on 127.0.0.1:$prometheus_port"
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
	--web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!

prometheus_url="http://127.0.0.1:$prometheus_port"
deadline=$((SECONDS + timeout))
until curl -fsS -o /dev/null "$prometheus_url/-/ready" 2>/dev/null; do
	kill -0 "$prometheus_pid" 2>/dev/null || fail "prometheus exited during startup"
	((SECONDS < deadline)) || fail "prometheus was not ready within ${timeout}s"
	sleep 0.5
done

if [[ -n "$label" ]]; then
	query="$metric{$label=\"$client\"}"
else
	query="$metric"
fi
log "querying $query through $prometheus_url/api/v1/query (up to ${timeout}s)"
deadline=$((SECONDS + timeout))
while true; do
	kill -0 "$app_pid" 2>/dev/null || fail "the sample app exited"
	kill -0 "$prometheus_pid" 2>/dev/null || fail "prometheus exited"
	if curl -fsS -o "$work/query.json" --get --data-urlencode "query=$query" "$prometheus_url/api/v1/query" 2>/dev/null \
		&& python3 - "$work/query.json" <<'PY'; then
import json, sys
answer = json.load(open(sys.argv[1]))
series = answer["data"]["result"] if answer.get("status") == "success" else []
for s in series:
    labels = ", ".join(f'{k}="{v}"' for k, v in sorted(s["metric"].items()))
    print(f"  found {{{labels}}} = {s['value'][1]}")
sys.exit(0 if series else 1)
PY
		break
	fi
	if ((SECONDS >= deadline)); then
		curl -fsS -o "$work/scrape.txt" "$app_url/actuator/prometheus" 2>/dev/null || true
		if grep -Eq "^$metric[{ ]" "$work/scrape.txt"; then
			hint="the app publishes $metric but Prometheus has no series matching $query"
		else
			similar="$(grep -Eo "^${metric%_*}_[a-zA-Z0-9_]*" "$work/scrape.txt" | sort -u | head -n 10 | tr '\n' ' ')"
			hint="the app's /actuator/prometheus has no $metric at all${similar:+ (similar names: $similar)}"
		fi
		targets="$(curl -fsS "$prometheus_url/api/v1/targets" 2>/dev/null | python3 -c '
import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    print(t["scrapeUrl"], t["health"], t["lastError"])' 2>/dev/null || echo unknown)"
		fail "no series for $query within ${timeout}s: $hint (scrape target: $targets)"
	fi
	sleep 1
done

# The rules load into a real server, and every dashboard query parses there.
curl -fsS -o "$work/rules.json" "$prometheus_url/api/v1/rules" || fail "could not read $prometheus_url/api/v1/rules"
curl -fsS -o "$work/targets.json" "$prometheus_url/api/v1/targets" || fail "could not read $prometheus_url/api/v1/targets"
python3 - "$work/rules.json" "$work/targets.json" "$dashboard" "$prometheus_url" <<'PY' || fail "Prometheus rejected the rules or a dashboard query"
import json, sys, urllib.parse, urllib.request
rules, targets, dashboard, url = sys.argv[1:5]
groups = json.load(open(rules))["data"]["groups"]
loaded = [r for g in groups for r in g["rules"]]
errors = [f'{r["name"]}: {r["lastError"]}' for r in loaded if r.get("lastError")]
assert loaded and not errors, f"rules: {len(loaded)} loaded, errors: {errors}"
print(f"  rules loaded by the server: {', '.join(r['name'] + ' (' + r['state'] + ')' for r in loaded)}")
for t in json.load(open(targets))["data"]["activeTargets"]:
    print(f"  target {t['scrapeUrl']}: {t['health']}")
with_data, failed = 0, []
for panel in json.load(open(dashboard))["panels"]:
    for target in panel.get("targets", []):
        expr = (target["expr"].replace("$__rate_interval", "1m")
                .replace("$client", ".*").replace("$job", ".*"))
        body = urllib.parse.urlencode({"query": expr}).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(url + "/api/v1/query", data=body), timeout=10) as r:
                answer = json.load(r)
            with_data += bool(answer["data"]["result"])
        except Exception as ex:
            failed.append(f'{panel["title"]}: {ex}')
assert not failed, f"dashboard queries rejected: {failed}"
print(f"  dashboard queries accepted by the server, {with_data} with data right now")
PY

log "OK: Prometheus scraped $query from the sample app"
