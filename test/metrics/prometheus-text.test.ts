// The strict parser the metrics tests rely on must itself accept the format and refuse what breaks it.
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';

const VALID = `# HELP jobs_total Jobs done, by "kind".\\nSecond line \\\\ done.
# TYPE jobs_total counter
jobs_total{kind="a\\"b\\\\c\\nd",code="200"} 3
jobs_total{kind="x",code="500"} 1.5e3
# A comment.
# TYPE depth gauge
depth NaN
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.1"} 1
latency_seconds_bucket{le="+Inf"} 2
latency_seconds_sum 0.3
latency_seconds_count 2
`;

describe('the Prometheus text parser of the tests', () => {
  it('reads families, types, help, escaped label values and special values', () => {
    const families = parsePrometheusText(VALID);
    expect([...families.keys()]).toEqual(['jobs_total', 'depth', 'latency_seconds']);
    expect(families.get('jobs_total')!.help).toBe('Jobs done, by "kind".\nSecond line \\ done.');
    expect(families.get('latency_seconds')!.type).toBe('histogram');
    expect(sampleValue(families, 'jobs_total', { kind: 'a"b\\c\nd', code: '200' })).toBe(3);
    expect(sampleValue(families, 'jobs_total', { code: '500', kind: 'x' })).toBe(1500);
    expect(sampleValue(families, 'depth', {})).toBeNaN();
    expect(sampleValue(families, 'latency_seconds_count', {})).toBe(2);
  });

  it.each([
    ['no final newline', 'a 1'],
    ['an empty line', 'a 1\n\nb 2\n'],
    ['a bad metric name', '1a 1\n'],
    ['a bad value', 'a one\n'],
    ['an unknown escape', 'a{x="\\t"} 1\n'],
    ['an unknown escape in HELP', '# HELP a bad \\t\na 1\n'],
    ['an unquoted label value', 'a{x=1} 1\n'],
    ['a label given twice', 'a{x="1",x="2"} 1\n'],
    ['a reserved label name', 'a{__name__="b"} 1\n'],
    ['a duplicate series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['a second TYPE', '# TYPE a gauge\n# TYPE a counter\na 1\n'],
    ['an unknown type', '# TYPE a thing\na 1\n'],
    ['a family split in two', '# TYPE a gauge\na{x="1"} 1\n# TYPE b gauge\nb 1\na{x="2"} 1\n'],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\nh_count 1\n'],
    ['buckets going down', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n'],
    ['no +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n'],
    ['+Inf bucket not the count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 1\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
