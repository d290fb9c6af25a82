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
{{- if and (not (and (eq $group "gafaelfawr") (eq $name "url"))) (not (and (eq $group "federation") (has $name (list "issuers" "audience")))) (not (kindIs "invalid" $value)) }}
{{- $rendered := toString $value }}
{{- if kindIs "slice" $value }}{{ $rendered = join "," $value }}{{ end }}
{{- if kindIs "float64" $value }}{{ $rendered = int64 $value | toString }}{{ end }}
{{- if ne $rendered "" }}
{{ printf "BROKER_%s_%s" (snakecase $group) (snakecase $name) | upper }}: {{ $rendered | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
BROKER_FEDERATION_AUDIENCE: {{ .Values.config.federation.audience | default (printf "%s/service-token-broker" (.Values.global.baseUrl | default "")) | quote }}
{{- range $issuer, $settings := .Values.config.federation.issuers }}
{{- if not (regexMatch "^[a-z][a-z0-9]{0,31}$" $issuer) }}
{{- fail (printf "config.federation.issuers.%s: an issuer's name is lower-case letters and digits" $issuer) }}
{{- end }}
{{ printf "BROKER_FEDERATION_ISSUERS_%s_URL" (upper $issuer) }}: {{ required (printf "config.federation.issuers.%s.url must be set" $issuer) $settings.url | quote }}
{{- with $settings.audience }}
{{ printf "BROKER_FEDERATION_ISSUERS_%s_AUDIENCE" (upper $issuer) }}: {{ . | quote }}
{{- end }}
{{- with $settings.algorithms }}
{{ printf "BROKER_FEDERATION_ISSUERS_%s_ALGORITHMS" (upper $issuer) }}: {{ join "," . | quote }}
{{- end }}
{{- end }}
QUARKUS_DATASOURCE_JDBC_URL: {{ printf "jdbc:postgresql://%s:%v/%s" (required "database.host must be set" .Values.database.host) .Values.database.port (required "database.name must be set" .Values.database.name) | quote }}
QUARKUS_DATASOURCE_USERNAME: {{ required "database.user must be set" .Values.database.user | quote }}
{{- end }}
