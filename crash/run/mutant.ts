// Test builds of mq with a fix taken out or an fsync removed, to show that the explorer finds the bug
// that makes: the CLI bundled as `npm run build` bundles it (scripts/cli-bundle.js), with source text
// changed on the way in. The shipped build and its code path are untouched.
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { Durability } from '../../src/core/durability.js';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations.
import { cliBundleOptions } from '../../scripts/cli-bundle.js';

export interface Edit {
  // A source file, relative to the repository root, and the exact text replaced (it must occur once).
  file: string;
  find: string;
  replace: string;
}

export interface Mutation {
  name: string;
  // 'fsync-removed': the two builds the issue asks for (an fsync the design needs, taken out);
  // 'fix-reverted': a bug the explorer found, put back (the regression test of its fix).
  kind: 'fsync-removed' | 'fix-reverted';
  what: string;
  edits: Edit[];
  // The scenario and durability in which the explorer must find a violation, and what it says.
  scenario: string;
  durability: Durability;
  message: RegExp;
  // 'acausal': the bug shows only without the causal ordering of directory operations (persistence.ts),
  // as on a file system that does not keep its tree a tree (ext2); mq does not rely on that ordering there.
  model?: 'acausal';
}

const COMMENT = '/* mutant */';

export const MUTATIONS: Mutation[] = [
  {
    name: 'no-bucket-fsync', kind: 'fsync-removed', scenario: 'queue-send', durability: 'fsync', message: /was printed by mq send and is gone/,
    what: 'a send does not fsync the ready bucket directories after renaming its messages into them',
    edits: [{ file: 'src/fs/queue/staging.ts', find: 'if (durable) fsyncDirs(touched);', replace: COMMENT }],
  },
  {
    name: 'no-segment-fdatasync', kind: 'fsync-removed', scenario: 'stream-put', durability: 'fsync', message: /was printed by mq put and is gone/,
    what: 'a put does not fdatasync the segment before printing sequence numbers',
    edits: [{ file: 'src/fs/stream/append.ts', find: 'if (ctx.durable) fs.fdatasyncSync(file.fd);', replace: COMMENT }],
  },
  {
    name: 'store-root-unsynced', kind: 'fix-reverted', scenario: 'queue-admin', durability: 'fsync', model: 'acausal', message: /queue jobs was created \(mq create returned\) and is gone/,
    what: 'the directories of a new store are not fsynced into their parents',
    edits: [{ file: 'src/fs/store-root.ts', find: 'if (created !== undefined) syncCreatedDirs(this.layout, created);', replace: COMMENT }],
  },
  {
    name: 'queue-staging-unsynced', kind: 'fix-reverted', scenario: 'queue-admin', durability: 'none', message: /exits 3|is not listed/,
    what: 'under none, a new queue is renamed into place before its staged directories reach the disk',
    edits: [{ file: 'src/fs/queue/queue-admin.ts', find: 'writeQueueInfo(layout.config, info, true);', replace: 'writeQueueInfo(layout.config, info, durable);' }],
  },
  {
    name: 'replaced-data-unsynced', kind: 'fix-reverted', scenario: 'queue-admin', durability: 'none', message: /unreadable queue\.json/,
    what: 'under none, queue.json is renamed over the old one before its data reaches the disk',
    edits: [{ file: 'src/fs/fs-util.ts', find: 'if (options.durable || !options.scratch) fs.fsyncSync(fd);', replace: 'if (options.durable) fs.fsyncSync(fd);' }],
  },
  {
    name: 'rm-unsynced', kind: 'fix-reverted', scenario: 'queue-admin', durability: 'fsync', message: /doomed/,
    what: 'mq rm deletes the files of a queue before its move into trash/ reaches the disk',
    edits: [{ file: 'src/fs/queue/queue-admin.ts', find: 'fsyncDir(store.trashDir);', replace: COMMENT }],
  },
  {
    name: 'sequence-created-empty', kind: 'fix-reverted', scenario: 'fifo-send', durability: 'fsync', message: /a send after recovery got sequence/,
    what: 'the FIFO sequence counter is created empty and written in place, its name never fsynced',
    edits: [{
      file: 'src/fs/queue/fifo/sequence.ts',
      find: "writeFileAtomic(file, `${'0'.repeat(WIDTH)}\\n`, { durable: true });\n    return fs.openSync(file, 'r+');",
      replace: "const fd = fs.openSync(file, 'wx+', 0o600);\n    fs.writeSync(fd, `${'0'.repeat(WIDTH)}\\n`, 0);\n    return fd;",
    }],
  },
  {
    name: 'sequence-unsynced', kind: 'fix-reverted', scenario: 'fifo-send', durability: 'none', message: /got sequence \d+, not above/,
    what: 'under none, the FIFO sequence counter is advanced without an fsync',
    edits: [{ file: 'src/fs/queue/fifo/sequence.ts', find: '    fs.fsyncSync(fd);\n    return last + 1n;', replace: '    if (ctx.durable) fs.fsyncSync(fd);\n    return last + 1n;' }],
  },
  {
    name: 'dedup-window-unsynced', kind: 'fix-reverted', scenario: 'fifo-send', durability: 'fsync', model: 'acausal', message: /was not refused as a duplicate/,
    what: 'a new deduplication window directory is not fsynced into dedup/',
    edits: [{ file: 'src/fs/queue/fifo/dedup.ts', find: 'if (ctx.durable) fsyncDir(ctx.layout.dedup);', replace: COMMENT }],
  },
  {
    name: 'group-dir-unsynced', kind: 'fix-reverted', scenario: 'stream-tail-group', durability: 'fsync', model: 'acausal', message: /is behind/,
    what: 'a consumer group\'s new directory is not fsynced into groups/',
    edits: [{ file: 'src/fs/stream/lease-files.ts', find: 'if (ensureDir(layout.group(group))) fsyncDir(layout.groupsDir);', replace: 'ensureDir(layout.group(group));' }],
  },
  {
    name: 'delete-unsynced', kind: 'fix-reverted', scenario: 'queue-receive', durability: 'fsync', message: /printed by mq receive --delete, came back/,
    what: 'receive --delete returns before its deletions reach the disk',
    edits: [{ file: 'src/fs/queue/fs-queue-store.ts', find: 'if (claimOptions.deletedFrom && ctx.durable) syncDeletions(claimOptions.deletedFrom);', replace: COMMENT }],
  },
  {
    name: 'segment-roll-unsynced', kind: 'fix-reverted', scenario: 'stream-roll', durability: 'none', message: /has counter \d+ where \d+ was due/,
    what: 'under none, a put rolls to a new segment before the records of the old one, or its name, reach the disk',
    edits: [
      { file: 'src/fs/stream/append.ts', find: 'if (!ctx.durable) syncData(file);', replace: COMMENT },
      { file: 'src/fs/stream/append.ts', find: '    fsyncDir(files.layout.dir);\n  } catch (error) {', replace: '    if (ctx.durable) fsyncDir(files.layout.dir);\n  } catch (error) {' },
    ],
  },
  {
    name: 'reshard-children-unsynced', kind: 'fix-reverted', scenario: 'stream-reshard', durability: 'none', message: /STREAM_NOT_FOUND/,
    what: 'under none, a reshard publishes the map before the new shards\' directories reach the disk',
    edits: [{ file: 'src/fs/stream/reshard.ts', find: '      fsyncDir(layout.shardsDir);', replace: '      if (ctx.durable) fsyncDir(layout.shardsDir);' }],
  },
];

// Builds the mutant into `outDir`; returns the command that runs it (node and its entry script).
export async function buildMutant(mutation: Mutation, outDir: string): Promise<string[]> {
  const root = path.resolve('.');
  const sources = new Map<string, string>();
  for (const edit of mutation.edits) {
    const target = path.join(root, edit.file);
    const source = sources.get(target) ?? fs.readFileSync(target, 'utf8');
    if (source.split(edit.find).length !== 2) throw new Error(`${mutation.name}: ${JSON.stringify(edit.find)} does not occur exactly once in ${edit.file}`);
    sources.set(target, source.replace(edit.find, edit.replace));
  }
  const patch: Plugin = {
    name: `mutant-${mutation.name}`,
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const contents = sources.get(args.path);
        return contents === undefined ? undefined : { contents, loader: 'ts' };
      });
    },
  };
  fs.mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, 'mq.cjs');
  await build({ ...(cliBundleOptions(bundle, [patch]) as object), absWorkingDir: root, minify: false });
  const entry = path.join(outDir, 'mq-entry.cjs');
  fs.writeFileSync(entry, `require(${JSON.stringify(path.join(root, 'bin/load-bundle.cjs'))}).loadBundle(${JSON.stringify(bundle)}).exports.run(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`);
  return [process.execPath, entry];
}
