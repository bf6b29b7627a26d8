// The Prometheus text writer and the request metrics, read back by the strict parser.
import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatValue, gauge, renderExposition } from '../../src/metrics/exposition.js';
import { LATENCY_BUCKETS_SECONDS, RequestMetrics } from '../../src/metrics/request-metrics.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';

describe('the exposition writer', () => {
  it('escapes label values and help text so that any string reads back as itself', () => {
    const hostile = 'a"b\\c\nd} e="f"';
    expect(escapeLabelValue(hostile)).toBe('a\\"b\\\\c\\nd} e=\\"f\\"');
    const text = renderExposition([gauge('x_bytes', 'Help with a \\ and a\nline.', [{ labels: { name: hostile }, value: 1 }])]);
    const families = parsePrometheusText(text);
    expect(families.get('x_bytes')!.help).toBe('Help with a \\ and a\nline.');
    expect(sampleValue(families, 'x_bytes', { name: hostile })).toBe(1);
  });

  it('writes integers plainly and NaN and the infinities by name', () => {
    expect([3, 0.25, 1796397837.759, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(formatValue))
      .toEqual(['3', '0.25', '1796397837.759', 'NaN', '+Inf', '-Inf']);
  });

  it('refuses invalid metric and label names instead of writing them', () => {
    expect(() => renderExposition([gauge('1x', 'h', [])])).toThrow(/invalid metric name/);
    expect(() => renderExposition([gauge('x', 'h', [{ labels: { 'a-b': '1' }, value: 1 }])])).toThrow(/invalid label name/);
  });
});

describe('request metrics', () => {
  it('counts requests by action and status, and their latencies as a cumulative histogram', () => {
    const metrics = new RequestMetrics();
    metrics.observe('sqs:SendMessage', 200, 0.002);
    metrics.observe('sqs:SendMessage', 200, 0.3);
    metrics.observe('sqs:SendMessage', 400, 0.001);
    metrics.observe('console:overview', 200, 99);
    const families = parsePrometheusText(renderExposition(metrics.families()));
    expect(families.get('mq_http_requests_total')!.type).toBe('counter');
    expect(sampleValue(families, 'mq_http_requests_total', { action: 'sqs:SendMessage', code: '200' })).toBe(2);
    expect(sampleValue(families, 'mq_http_requests_total', { action: 'sqs:SendMessage', code: '400' })).toBe(1);
    const bucket = (action: string, le: string) => sampleValue(families, 'mq_http_request_duration_seconds_bucket', { action, le });
    expect(bucket('sqs:SendMessage', '0.001')).toBe(1);
    expect(bucket('sqs:SendMessage', '0.0025')).toBe(2);
    expect(bucket('sqs:SendMessage', '0.25')).toBe(2);
    expect(bucket('sqs:SendMessage', '0.5')).toBe(3);
    expect(bucket('sqs:SendMessage', '+Inf')).toBe(3);
    expect(sampleValue(families, 'mq_http_request_duration_seconds_sum', { action: 'sqs:SendMessage' })).toBeCloseTo(0.303);
    // Slower than the largest bound: only in +Inf.
    expect(bucket('console:overview', String(LATENCY_BUCKETS_SECONDS.at(-1)))).toBe(0);
    expect(bucket('console:overview', '+Inf')).toBe(1);
  });
});
