// Faults of the file system under mq: a full disk, a read-only store, too many open files, a directory
// made unwritable. Each gives a clear one-line error naming the cause and exit 1, loses nothing already
// stored, reports exactly what was stored, and the queue works again once the fault is gone. The store
// sits on a small tmpfs mounted in a private mount namespace (unshare), so no root mount is left behind;
// permissions are tested as an unprivileged user (root ignores them).
import fs from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { MQ_BIN } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';

// Runs a bash script with `$MQ` as the mq command and $MNT a fresh tmpfs of `size`, in its own namespace.
async function inTmpfs(size: string, script: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const mnt = tempHome();
  const result = await execa('unshare', ['-rm', 'bash', '-euo', 'pipefail', '-c', `mount -t tmpfs -o size=${size} tmpfs "$MNT"; export MQ_HOME="$MNT/mq"; ${script}`], {
    env: { MNT: mnt, MQ: `${process.execPath} ${MQ_BIN}` },
    reject: false,
  });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

// Parses "key=value" lines the scripts print.
function values(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('file-system faults', () => {
  it('a full disk: exit 1 naming ENOSPC, exactly the printed ids stored, usable again after space is freed', async () => {
    // A batch is at most 1,000 lines (4 MB of tmpfs pages), so the first ones fit and a later one does not.
    const result = await inTmpfs('6m', `
      $MQ create jobs
      set +e
      (for i in $(seq 1 100); do seq 1 50; sleep 0.01; done) | $MQ send jobs > "$MNT/ids" 2> "$MNT/err"
      echo "status=$?"
      set -e
      echo "printed=$(wc -l < "$MNT/ids")"
      echo "error=$(cat "$MNT/err")"
      echo "stored=$($MQ stats jobs --json | sed 's/.*"visible":\\([0-9]*\\).*/\\1/')"
      echo "leftover=$(ls "$MNT/mq/queues/jobs/tmp" | wc -l)"
      echo "ids_match=$($MQ receive jobs -n 10000 --delete | grep -c '"id"' || true)"
      echo "after=$(seq 1 5 | $MQ send jobs | wc -l)"
    `);
    const v = values(result.stdout);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(v.status).toBe('1');
    expect(v.error).toMatch(/^mq: cannot write a message to .*: ENOSPC \(no space left on device\)$/);
    expect(Number(v.printed)).toBeGreaterThan(0);
    expect(v.stored).toBe(v.printed);
    expect(v.ids_match).toBe(v.printed);
    expect(v.leftover).toBe('0');
    expect(v.after).toBe('5');
  });

  it('a read-only store: exit 1 naming EROFS, messages kept, and all works once writable again', async () => {
    const result = await inTmpfs('8m', `
      $MQ create jobs
      seq 1 20 | $MQ send jobs > /dev/null
      mount -o remount,ro "$MNT"
      set +e
      $MQ receive jobs -n 5 > /dev/null 2> "$MNT/../err-receive-$$" ; echo "receive_status=$?"
      $MQ send jobs x > /dev/null 2> /dev/null ; echo "send_status=$?"
      set -e
      echo "receive_error=$(cat "$MNT/../err-receive-$$")"
      mount -o remount,rw "$MNT"
      echo "bodies=$($MQ receive jobs -n 100 --delete --body | sort -n | tr '\\n' ',')"
    `);
    const v = values(result.stdout);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(v.receive_status).toBe('1');
    expect(v.send_status).toBe('1');
    expect(v.receive_error).toMatch(/^mq: cannot .*EROFS \(read-only file system\)$/);
    expect(v.bodies).toBe(`${Array.from({ length: 20 }, (_, i) => i + 1).join(',')},`);
  });

  it('too many open files: exit 1 naming EMFILE, nothing half-written, and a smaller batch still works', async () => {
    const result = await inTmpfs('16m', `
      $MQ create jobs
      set +e
      (ulimit -n 64; seq 1 300 | $MQ send jobs > "$MNT/ids" 2> "$MNT/err"); echo "status=$?"
      set -e
      echo "printed=$(wc -l < "$MNT/ids")"
      echo "error=$(cat "$MNT/err")"
      echo "stored=$($MQ stats jobs --json | sed 's/.*"visible":\\([0-9]*\\).*/\\1/')"
      echo "leftover=$(ls "$MNT/mq/queues/jobs/tmp" | wc -l)"
      echo "after=$(ulimit -n 64; seq 1 10 | $MQ send jobs | wc -l)"
    `);
    const v = values(result.stdout);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(v.status).toBe('1');
    expect(v.error).toMatch(/EMFILE \(too many open files\)$/);
    expect(v.stored).toBe(v.printed);
    expect(v.leftover).toBe('0');
    expect(v.after).toBe('10');
  });

  it('a directory made unwritable (EACCES): exit 1 naming EACCES, nothing stored lost, usable again after chmod', async () => {
    // The store belongs to an unprivileged user who makes its own directories read-only (0500). As root,
    // the script runs as uid 4242 (setpriv) on a directory handed to that user; otherwise as ourselves.
    const dir = tempHome();
    const asUser = process.getuid!() === 0;
    if (asUser) fs.chownSync(dir, 4242, 4242);
    const script = `
      export MQ_HOME="$DIR/mq"
      $MQ create jobs; seq 1 20 | $MQ send jobs > /dev/null
      $MQ create-stream ev; seq 1 20 | $MQ put ev > /dev/null
      chmod 0500 "$MQ_HOME/queues/jobs/tmp" "$MQ_HOME/streams/ev/shards/shardId-000000000000" "$MQ_HOME/streams/ev/groups"
      set +e
      seq 21 25 | $MQ send jobs > "$DIR/ids" 2> "$DIR/err-send"; echo "send_status=$?"
      echo 21 | $MQ put ev > /dev/null 2> "$DIR/err-put"; echo "put_status=$?"
      $MQ put ev 21 > "$DIR/out-put-arg" 2> "$DIR/err-put-arg"; echo "put_arg_status=$?"
      $MQ tail ev --group g --from trim-horizon > /dev/null 2> "$DIR/err-group"; echo "group_status=$?"
      set -e
      echo "printed=$(wc -l < "$DIR/ids")"
      echo "send_error=$(cat "$DIR/err-send")"
      echo "put_error=$(cat "$DIR/err-put")"
      echo "put_arg=$(cat "$DIR/out-put-arg")|$(cat "$DIR/err-put-arg")"
      echo "group_error=$(cat "$DIR/err-group")"
      echo "stored=$($MQ stats jobs --json | sed 's/.*"visible":\\([0-9]*\\).*/\\1/')"
      chmod 0700 "$MQ_HOME/queues/jobs/tmp" "$MQ_HOME/streams/ev/shards/shardId-000000000000" "$MQ_HOME/streams/ev/groups"
      echo "after_send=$(seq 21 25 | $MQ send jobs | wc -l)"
      echo "after_put=$(seq 21 25 | $MQ put ev | wc -l)"
      echo "bodies=$($MQ receive jobs -n 100 --delete --body | sort -n | tr '\\n' ',')"
      echo "records=$($MQ tail ev --group g --from trim-horizon | tr '\\n' ',')"
    `;
    const command = asUser ? ['setpriv', '--reuid=4242', '--regid=4242', '--clear-groups', 'bash'] : ['bash'];
    const result = await execa(command[0]!, [...command.slice(1), '-euo', 'pipefail', '-c', script], {
      env: { DIR: dir, MQ: `${process.execPath} ${MQ_BIN}` }, reject: false,
    });
    const v = values(String(result.stdout));
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect([v.send_status, v.put_status, v.put_arg_status, v.group_status]).toEqual(['1', '1', '1', '1']);
    expect(v.put_arg).toMatch(/^\|mq: cannot create lock \S+\/shardId-000000000000\/lock: EACCES \(permission denied\)$/);
    expect(v.send_error).toMatch(/^mq: cannot write a message to \S+\/queues\/jobs: EACCES \(permission denied\)$/);
    expect(v.put_error).toMatch(/^mq: line 1: cannot create lock \S+\/shardId-000000000000\/lock: EACCES \(permission denied\)$/);
    expect(v.group_error).toMatch(/^mq: cannot create \S+\/groups\/g: EACCES \(permission denied\)$/);
    expect([v.printed, v.stored]).toEqual(['0', '20']);
    expect([v.after_send, v.after_put]).toEqual(['5', '5']);
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1},`).join('');
    expect(v.bodies).toBe(upTo(25));
    expect(v.records).toBe(`${upTo(20)}${Array.from({ length: 5 }, (_, i) => `${i + 21},`).join('')}`);
  });
});
