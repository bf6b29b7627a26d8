// The web console and /metrics on mq serve's port, beside the APIs: each request goes to the right one,
// the API's requests are counted by action in /metrics, the console's are in the access log, and with
// access keys the console asks for the same keys the API's signatures use.
import { ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sigV4Authenticator } from '../../src/serve/auth/sigv4.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { CREDENTIALS, startTestServer } from '../helpers/serve.js';

describe('the console on mq serve', () => {
  it('serves the pages and /metrics beside the APIs, and counts API requests by action', async () => {
    const t = await startTestServer();
    await t.backend.queues.create('jobs');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: t.queueUrl('jobs'), MessageBody: 'from the SDK' }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: t.queueUrl('nope'), MessageBody: 'x' })).catch(() => undefined);
    const client = new ConsoleClient(`${t.endpoint}/`);
    const overview = await client.get('/');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatch(/<tr data-queue="jobs">.*?data-field="visible">1</);
    // The console's own form goes to the console, an SQS query-protocol form to the API.
    const csrf = await client.csrfToken('/queues/jobs');
    const sent = await client.postForm('/queues/jobs/messages', { csrf, queue: 'jobs', body: 'from the console', attributes: '' });
    expect([sent.status, sent.headers.location]).toEqual([303, expect.stringMatching(/^\/queues\/jobs\?sent=/)]);
    const query = await client.postForm('/', { Action: 'ListQueues' });
    expect([query.status, query.body]).toEqual([200, expect.stringContaining('<ListQueuesResponse')]);
    const viaGet = await client.get('/?Action=ListQueues');
    expect(viaGet.body).toContain('<ListQueuesResponse');
    expect((await t.sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([t.queueUrl('jobs')]);
    expect((await t.backend.queues.stats('jobs')).visible).toBe(2);

    const families = parsePrometheusText((await client.get('/metrics')).body);
    const requests = (action: string, code: string) => sampleValue(families, 'mq_http_requests_total', { action, code });
    expect(requests('sqs:SendMessage', '200')).toBe(1);
    expect(requests('sqs:SendMessage', '400')).toBe(1);
    expect(requests('sqs:ListQueues', '200')).toBe(3);
    expect(requests('console:overview', '200')).toBe(1);
    expect(requests('console:send', '303')).toBe(1);
    expect(sampleValue(families, 'mq_http_request_duration_seconds_count', { action: 'sqs:SendMessage' })).toBe(2);
    expect(sampleValue(families, 'mq_queue_messages', { queue: 'jobs', state: 'visible' })).toBe(2);
    // Each answered before the next request was made, so logged in this order.
    expect(t.log.filter((entry) => entry.service === 'console').slice(0, 3).map((entry) => [entry.action, entry.status])).toEqual([
      ['overview', 200], ['queue', 200], ['send', 303],
    ]);
    expect(t.log.find((entry) => entry.service === 'console' && entry.action === 'overview')).toMatchObject({ protocol: '-', http: '1.1', bytesOut: Buffer.byteLength(overview.body) });
  });

  it('with access keys, asks the console\'s visitors for the same keys the API\'s signatures use', async () => {
    const keys = new Map([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey]]);
    const t = await startTestServer({ authenticator: sigV4Authenticator(keys), keys });
    const client = new ConsoleClient(`${t.endpoint}/`);
    expect((await client.get('/')).status).toBe(303);
    expect((await client.get('/metrics')).status).toBe(401);
    const basic = `Basic ${Buffer.from(`${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}`).toString('base64')}`;
    expect((await client.get('/metrics', { authorization: basic })).status).toBe(200);
    // The API still wants signatures: Basic is not one.
    expect((await t.sqs.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
    expect((await client.postForm('/', { Action: 'ListQueues' }, { authorization: basic })).status).toBe(403);
  });
});
