{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "service-token-broker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "service-token-broker.labels" -}}
helm.sh/chart: {{ include "service-token-broker.chart" . }}
{{ include "service-token-broker.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sasquatch
{{- end }}

{{/*
Selector labels
*/}}
{{- define "service-token-broker.selectorLabels" -}}
app.kubernetes.io/name: service-token-broker
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The broker's settings as environment variables: config.<group>.<name> becomes
BROKER_<GROUP>_<NAME>; lists are joined with commas; null and empty values are
left out, so the broker's own default applies. Gafaelfawr's URL defaults to the
environment's base URL.
*/}}
{{- define "service-token-broker.settings" -}}
BROKER_GAFAELFAWR_URL: {{ .Values.config.gafaelfawr.url | default .Values.global.baseUrl | required "config.gafaelfawr.url or global.baseUrl must be set" | quote }}
BROKER_GAFAELFAWR_ADMIN_TOKEN_FILE: "/etc/service-token-broker/admin/token"
{{- range $group, $settings := .Values.config }}
{{- range $name, $value := $settings }}
{{- if and (not (and (eq $group "gafaelfawr") (eq $name "url"))) (not (kindIs "invalid" $value)) }}
{{- $rendered := toString $value }}
{{- if kindIs "slice" $value }}{{ $rendered = join "," $value }}{{ end }}
{{- if kindIs "float64" $value }}{{ $rendered = int64 $value | toString }}{{ end }}
{{- if ne $rendered "" }}
{{ printf "BROKER_%s_%s" (snakecase $group) (snakecase $name) | upper }}: {{ $rendered | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
QUARKUS_DATASOURCE_JDBC_URL: {{ printf "jdbc:postgresql://%s:%v/%s" (required "database.host must be set" .Values.database.host) .Values.database.port (required "database.name must be set" .Values.database.name) | quote }}
QUARKUS_DATASOURCE_USERNAME: {{ required "database.user must be set" .Values.database.user | quote }}
{{- end }}
