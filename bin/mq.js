#!/usr/bin/env node
import { run } from '../dist/mq.js';
process.exitCode = await run(process.argv.slice(2));
