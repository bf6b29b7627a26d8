// The man page mq(1), made at build time (scripts/build.js writes dist/mq.1) from the same text as
// `mq --help`, `mq help COMMAND` and the help topics, so the three never disagree.
import type { Command } from 'commander';
import { buildProgram, VERSION } from '../program.js';
import { HELP_TOPICS, type HelpTopic } from './topics.js';

// Columns of the preformatted help: a terminal of 80 columns less man's indent of 7.
const WIDTH = 72;

// Text made safe for roff: backslashes doubled, and a line starting with . or ' not read as a request.
function escape(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1');
}

function preformatted(text: string): string {
  return `.nf\n${escape(text.replace(/\s+$/, ''))}\n.fi`;
}

function topicSection(topic: HelpTopic): string {
  return topic.sections
    .map((section) => [`.PP\n${escape(section.heading)}`, ...section.items.map(([term, text]) => `.TP\n.B ${escape(term)}\n${escape(text)}`)].join('\n'))
    .join('\n');
}

// Everything commander prints for `mq help COMMAND` (usage, options, examples), at the man page's width.
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => { text += chunk; }, getOutHelpWidth: () => WIDTH });
  // Wrap descriptions even beside long terms: man pages have no wider terminal to fall back on.
  command.configureHelp({ ...command.configureHelp(), minWidthToWrap: 20 });
  command.outputHelp();
  return text;
}

export async function renderManPage(): Promise<string> {
  const program = await buildProgram({
    io: { env: {} } as never,
    openBackend: () => { throw new Error('the man page opens no store'); },
  });
  const commands = program.commands.filter((command) => !(command as Command & { _hidden?: boolean })._hidden);
  return [
    `.TH MQ 1 "" "mq ${VERSION}" "User Commands"`,
    '.SH NAME',
    `mq \\- ${escape(program.description())}`,
    '.SH SYNOPSIS',
    '.B mq',
    '[\\fB\\-\\-home\\fR \\fIdir\\fR] [\\fB\\-\\-json\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIargs\\fR]',
    '.SH DESCRIPTION',
    preformatted(helpOf(program)),
    '.SH COMMANDS',
    ...commands.flatMap((command) => [`.SS ${command.name()}`, preformatted(helpOf(command))]),
    '.SH ENVIRONMENT',
    topicSection(HELP_TOPICS.environment!),
    '.SH EXIT STATUS',
    topicSection(HELP_TOPICS['exit-codes']!),
    '.SH FILES',
    '.TP',
    '.I ~/.local/share/mq',
    'the store when neither \\fB\\-\\-home\\fR, \\fBMQ_HOME\\fR nor \\fBXDG_DATA_HOME\\fR says otherwise: a directory of queues and streams, mode 0700',
    '.SH SEE ALSO',
    'The README of the mq-cli package: the guarantees, the on-disk format and the SQS and Kinesis comparison.',
    '',
  ].join('\n');
}
