// The AWS CLI (version 2, /usr/bin/aws as Debian packages it: `apt-get install -y awscli`) pointed at an
// mq serve endpoint, with throwaway credentials and no configuration files.
import { execa } from 'execa';
import { expect } from 'vitest';
import { tempHome } from './tmp-home.js';

export const AWS = '/usr/bin/aws';
// Each aws command starts a Python interpreter: seconds on a busy machine.
export const AWS_SLOW = 400_000;

export async function aws(endpoint: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(AWS, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
    reject: false,
    timeout: 120_000,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempHome(), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

// Runs an aws command that must succeed, and parses its JSON output ({} when it printed nothing).
export async function awsJson(endpoint: string, args: string[]): Promise<Record<string, any>> {
  const result = await aws(endpoint, args);
  expect(result.exitCode, `aws ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
}
