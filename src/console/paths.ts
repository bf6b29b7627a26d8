// Addresses of the console's pages, built in one place (names are limited to URL-safe characters by the
// name rules, and encoded anyway).
const segment = encodeURIComponent;

export const paths = {
  overview: () => '/',
  queue: (name: string) => `/queues/${segment(name)}`,
  queueMessages: (name: string) => `/queues/${segment(name)}/messages`,
  queuePurge: (name: string) => `/queues/${segment(name)}/purge`,
  queueRedrive: (name: string) => `/queues/${segment(name)}/redrive`,
  stream: (name: string) => `/streams/${segment(name)}`,
  shard: (stream: string, shardId: string) => `/streams/${segment(stream)}/shards/${segment(shardId)}`,
  login: () => '/login',
  logout: () => '/logout',
};
