/**
 * Whether tracing is on, read from the standard OpenTelemetry variables
 * (pure): on when an OTLP endpoint is configured — OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * (the full URL) or OTEL_EXPORTER_OTLP_ENDPOINT (a base, `/v1/traces` is
 * appended, as the specification says) — unless OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none. OTEL_SERVICE_NAME names the service (`weft`).
 */
export interface TracingSettings {
  /** Where spans are sent, OTLP over HTTP. */
  url: string;
  serviceName: string;
}

export function tracingSettingsFrom(env: Record<string, string | undefined>): TracingSettings | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return null;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = traces || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : '');
  if (!url) return null;
  return { url, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'weft' };
}
