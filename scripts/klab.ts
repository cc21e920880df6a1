#!/usr/bin/env node
// klab's entry: everything happens in main.ts; this file only turns on the compile cache and sets the exit code.
import module from 'node:module';

// Node's on-disk compile cache (22.1+) roughly halves the cost of loading the Kubernetes client on later runs.
module.enableCompileCache?.();

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
