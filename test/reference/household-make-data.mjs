#!/usr/bin/env node
// The household model's Stan reference case (docs/validation.md, "Agreement with Stan"):
// one district of 400 students from the realistic simulator (households randomized whole,
// household factor, weekly household shocks, capped daily probabilities: REALISTIC_ABSENCES),
// a true daily effect of 10%. Writes test/reference/household-one-district/data.csv (with a
// household column) and truth.json. Runs the compiled library: npm run build first.
//
//   node test/reference/household-make-data.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../dist/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../../dist/simulate/realistic-absences.js';

const SEED = 20261207;
const dir = join(dirname(fileURLToPath(import.meta.url)), 'household-one-district');
const options = { students: 400, blocks: 13, effect: 0.1, ...REALISTIC_ABSENCES };
const { table, truth } = simulateRealisticModelTable(createRng(SEED), options);
const columns = ['student_id', 'y', 'e', 'treat', 'block', 'district', 'baseline_absences', 'baseline_days', 'household'];
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'data.csv'), `${[columns.join(','), ...table.map((row) => columns.map((c) => row[c]).join(','))].join('\n')}\n`);
writeFileSync(
  join(dir, 'truth.json'),
  `${JSON.stringify({ case: 'household-one-district', seed: SEED, generator: 'test/reference/household-make-data.mjs', options, truth }, null, 2)}\n`,
);
console.log(`${table.length} students, ${truth.households} households, truth.effect ${truth.effect.toFixed(4)}: ${dir}`);
