// Checks of the store directory, once per process: it is created private (0700) by the first command that
// creates a queue or stream (never by a read), it must belong to the user running mq (root included:
// root-owned files would lock the owner out of their own store), and it must be on a local file system,
// whose rename, O_EXCL and O_APPEND semantics mq relies on.
import fs from 'node:fs';
import path from 'node:path';
import { MqError } from '../core/errors.js';
import { DIR_MODE, errnoCode, fsyncDir, ioError } from './fs-util.js';

// statfs f_type values of file systems where rename/O_EXCL/O_APPEND are not the local POSIX ones.
const NETWORK_FILE_SYSTEMS: Record<number, string> = {
  0x6969: 'NFS',
  0x517b: 'SMB',
  0xff534d42: 'CIFS',
  0xfe534d42: 'SMB2',
  0x01021997: '9P',
  0x00c36400: 'Ceph',
  0x5346414f: 'AFS',
  0x0bd00bd0: 'Lustre',
  0x65735546: 'FUSE',
};

// The name of the network file system a statfs type denotes, or null for a local one.
export function networkFileSystemName(type: number): string | null {
  return NETWORK_FILE_SYSTEMS[type] ?? null;
}

export interface StoreRootOptions {
  // Use a store on NFS, SMB, FUSE and the like anyway (the CLI: MQ_ALLOW_NETWORK_FS=1).
  allowNetworkFileSystem?: boolean;
}

const checked = new Set<string>();

// For commands that write: the store is created if missing (mode 0700, parents too), then checked.
export function prepareStoreRoot(root: string, options: StoreRootOptions = {}): void {
  if (checked.has(root)) return;
  try {
    const created = fs.mkdirSync(root, { recursive: true, mode: DIR_MODE });
    if (created !== undefined) syncCreatedDirs(created, root);
  } catch (error) {
    throw ioError(error, 'create the store directory', root);
  }
  if (!openStoreRoot(root, options)) throw new MqError('IO', `store ${root} disappeared while it was being created`);
}

// For everything else: checks the store if it is there, and creates nothing. False when there is no store
// (so a read names what it did not find, and a mistyped --home or a cron job's other $HOME leaves no trace).
export function openStoreRoot(root: string, options: StoreRootOptions = {}): boolean {
  if (checked.has(root)) return true;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw ioError(error, 'inspect the store directory', root);
  }
  if (!stat.isDirectory()) throw new MqError('STORE_REFUSED', `store ${root} is not a directory`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
  if (stat.uid !== uid) {
    throw new MqError('STORE_REFUSED', `store ${root} belongs to user ${stat.uid}, not to you (${uid}): refusing to use another user's store`);
  }
  if (!options.allowNetworkFileSystem) {
    let type: number | null = null;
    try {
      type = fs.statfsSync(root).type;
    } catch (error) {
      if (errnoCode(error) !== 'ENOSYS') throw ioError(error, 'inspect', root);
    }
    const name = type === null ? null : networkFileSystemName(type);
    if (name) {
      throw new MqError(
        'STORE_REFUSED',
        `store ${root} is on ${name}, a network file system where rename and O_EXCL are not atomic across machines: use a local directory (or set MQ_ALLOW_NETWORK_FS=1 to use it anyway)`,
      );
    }
  }
  checked.add(root);
  return true;
}

// The directories from `first` down to `root` were just made: their names reach the disk only when the
// directory holding each is fsynced. Once per new store, whatever the durability: a store whose
// directory a power cut took away would lose every queue created in it.
function syncCreatedDirs(first: string, root: string): void {
  const holders: string[] = [];
  for (let dir = root; ; dir = path.dirname(dir)) {
    holders.push(path.dirname(dir));
    if (dir === first || dir === path.dirname(dir)) break;
  }
  for (const holder of holders) {
    try {
      fsyncDir(holder);
    } catch (error) {
      // A directory we may write into but not read (mode 0300) cannot be opened to fsync: nothing to do.
      if (errnoCode(error) !== 'EACCES' && errnoCode(error) !== 'EPERM') throw error;
    }
  }
}

// A path inside the store must be a real directory, not a link planted to send mq's writes elsewhere.
export function refuseLink(dir: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw ioError(error, 'inspect', dir);
  }
  if (stat.isSymbolicLink()) {
    throw new MqError('STORE_REFUSED', `${what} ${path.basename(dir)} is a symbolic link: mq does not follow links inside its store`);
  }
}
