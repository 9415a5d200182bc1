#!/usr/bin/env node
import { processIo } from './io.js';
import { run } from './run.js';

// A reader that stops early (`pilot schedule | head -1`) closes the pipe: the rest of the
// output has nowhere to go, which is not a failure of the command. Exit quietly, as the
// Unix tools do, instead of crashing on the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

process.exitCode = await run(process.argv.slice(2), processIo);
