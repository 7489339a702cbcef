#!/usr/bin/env node
/**
 * `tollgate` (package.json bin; `npm run tollgate -- <command>` from a checkout): the operator
 * command line. Commands, help and exit codes: src/cli/cli.ts, README "Operator command line".
 */
import { processIo, runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), processIo());
// Let pending output drain, then leave with the command's code (open handles of a driver
// must not keep an operator's shell waiting).
process.exitCode = code;
setImmediate(() => process.exit(code));
