// The aws-local-stepfunctions side of the benchmark (run by benchmarks/als_peer.py).
//
//   node als_peer.mjs INSTALL_DIR < request.json
//
// INSTALL_DIR is the folder npm installed aws-local-stepfunctions into. The request is one JSON object,
// {"definition": ..., "input": ..., "repeats": N}. The script builds the StateMachine once (untimed), runs it once
// untimed while reading its event log (to count StateEntered events, the transitions), then times `repeats`
// executions, each `await machine.run(input).result`, with process.hrtime.bigint(). It prints one JSON object:
// {"status", "output", "error", "cause", "transitions", "first_seconds" (the checked run's, event log read, JIT cold),
// "seconds": [one per timed run]}.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.argv[2], 'package.json'));
const { StateMachine } = require('aws-local-stepfunctions');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function outcome(execution) {
  try {
    return { status: 'SUCCEEDED', output: await execution.result };
  } catch (error) {
    return { status: 'FAILED', output: null, error: error.name, cause: String(error.message) };
  }
}

const request = await readStdin();
const machine = new StateMachine(request.definition);
const firstStarted = process.hrtime.bigint();
const checked = machine.run(request.input);
let transitions = 0;
for await (const event of checked.eventLogs) {
  if (event.type === 'StateEntered') transitions += 1;
}
const first = await outcome(checked);
const firstSeconds = Number(process.hrtime.bigint() - firstStarted) / 1e9;
const seconds = [];
if (first.status === 'SUCCEEDED') {
  for (let run = 0; run < request.repeats; run += 1) {
    const started = process.hrtime.bigint();
    await machine.run(request.input).result;
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
process.stdout.write(JSON.stringify({ ...first, transitions, first_seconds: firstSeconds, seconds }) + '\n');
