// Help that belongs to no one command: `mq help environment` and `mq help exit-codes`. Each topic is data
// (sections of term and description), printed like commander's own help and rendered into the man page.
import { Help } from 'commander';
import { EXIT_CODE_MEANINGS, errorCodesFor } from '../exit-codes.js';

export interface HelpSection {
  heading: string;
  items: (readonly [term: string, description: string])[];
}

export interface HelpTopic {
  summary: string;
  sections: HelpSection[];
}

const environment: HelpTopic = {
  summary: 'the environment variables mq reads and sets',
  sections: [
    {
      heading: 'Read by mq:',
      items: [
        ['MQ_URL', 'a NATS JetStream cluster to use instead of a directory (nats://host:port[,host:port...]), unless --url or --home is given'],
        ['MQ_NAMESPACE', 'with a NATS URL: the prefix of every stream, subject and bucket mq makes there (default mq)'],
        ['MQ_HOME', 'the store directory, unless --home, --url or MQ_URL is given'],
        ['XDG_DATA_HOME', 'without MQ_HOME: the store is $XDG_DATA_HOME/mq'],
        ['HOME', 'without either: the store is ~/.local/share/mq'],
        ['MQ_DURABILITY', 'fsync or none: overrides the durability setting of every queue and stream, for this process'],
        ['MQ_ALLOW_NETWORK_FS', '1: use a store on a network file system (NFS, SMB, CIFS, 9P, Ceph, AFS, Lustre, FUSE) anyway. Refused by default: rename and O_EXCL are not atomic across machines there'],
        ['MQ_DEBUG', 'set to anything: an internal error also prints its stack trace'],
        ['MQ_FORCE_TTY', '1: treat stdout and stderr as terminals (progress lines, the redrawn live view), for testing'],
        ['MQ_ACCESS_KEY', 'mq console (and mq serve): the access key, unless --access-key is given'],
        ['MQ_SECRET_KEY', 'mq console (and mq serve): the secret key, unless --secret-key is given (keeps it off the command line)'],
      ],
    },
    {
      heading: 'Set by mq work for each handler run (with the message body on stdin):',
      items: [
        ['MQ_HOME', 'the store in use, so mq commands run by the handler reach the same queues (MQ_URL and MQ_NAMESPACE instead for a NATS cluster)'],
        ['MQ_QUEUE', 'the queue the message came from'],
        ['MQ_MESSAGE_ID', 'the message id'],
        ['MQ_RECEIPT', 'the receipt of this delivery (for mq extend, mq nack)'],
        ['MQ_RECEIVE_COUNT', 'how many times the message was received, this time included (1 at first)'],
        ['MQ_GROUP', 'FIFO queues: the message group'],
      ],
    },
    {
      heading: 'Set by mq consume for each batch (with the records on stdin as NDJSON):',
      items: [
        ['MQ_HOME', 'the store in use (MQ_URL and MQ_NAMESPACE instead for a NATS cluster)'],
        ['MQ_STREAM', 'the stream'],
        ['MQ_SHARD', 'the shard the batch comes from'],
        ['MQ_GROUP', 'the consumer group'],
        ['MQ_WORKER', 'this worker\'s id in the group'],
      ],
    },
  ],
};

const exitCodes: HelpTopic = {
  summary: 'what each exit status means',
  sections: [
    {
      heading: 'Exit status (with --json, an error line on stderr carries the code in brackets):',
      items: Object.entries(EXIT_CODE_MEANINGS).map(([status, meaning]) => {
        const codes = errorCodesFor(Number(status));
        return [status, codes.length > 0 ? `${meaning} [${codes.join(', ')}]` : meaning] as const;
      }),
    },
  ],
};

export const HELP_TOPICS: Record<string, HelpTopic> = { environment, 'exit-codes': exitCodes };

export function formatTopic(topic: HelpTopic, width = 80): string {
  const help = new Help();
  help.helpWidth = width;
  const termWidth = Math.max(...topic.sections.flatMap((section) => section.items.map(([term]) => term.length)));
  return topic.sections
    .map((section) => [section.heading, ...section.items.map(([term, text]) => help.formatItem(term, termWidth, text, help))].join('\n'))
    .join('\n\n') + '\n';
}
