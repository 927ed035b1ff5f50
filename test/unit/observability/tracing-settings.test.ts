/** Tracing's switch, read from the standard OpenTelemetry variables (pure). */
import { describe, expect, it } from 'vitest';
import { tracingSettingsFrom } from '../../../engine/observability/tracing/tracing-settings.js';

describe('tracing settings', () => {
  it('are off when no OTLP endpoint is configured', () => {
    expect(tracingSettingsFrom({})).toBeNull();
    expect(tracingSettingsFrom({ OTEL_SERVICE_NAME: 'x' })).toBeNull();
  });

  it('send to the traces endpoint as given, or to the base endpoint with /v1/traces', () => {
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' })).toEqual({ url: 'http://collector:4318/custom', serviceName: 'weft' });
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ url: 'http://collector:4318/v1/traces', serviceName: 'weft' });
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/v1/traces', OTEL_SERVICE_NAME: 'billing-weft' })).toEqual({
      url: 'http://b:4318/v1/traces',
      serviceName: 'billing-weft',
    });
  });

  it('stay off when the SDK is disabled or the traces exporter is none', () => {
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
  });
});
