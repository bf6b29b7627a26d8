// The Kinesis API: every action by name, for JSON 1.1 (X-Amz-Target: Kinesis_20131202.<Action>) and CBOR.
import type { ServiceApi } from '../api/service.js';

export const kinesisApi: ServiceApi = {
  name: 'kinesis',
  targetPrefix: 'Kinesis_20131202',
  jsonContentType: 'application/x-amz-json-1.1',
  queryCompatible: false,
  cbor: true,
  actions: {},
};
