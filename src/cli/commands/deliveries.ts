import { recordDeliveries } from '../../report/record-deliveries.js';
import { formatDeliverySummary } from '../../report/summarize-deliveries.js';
import type { PilotCommand } from '../command.js';

interface DeliveriesArgs {
  study: string;
  log: string;
  map?: string;
  out: string;
  force: boolean;
  json: boolean;
}

export const deliveriesCommand: PilotCommand<DeliveriesArgs> = {
  command: 'deliveries',
  describe: "Read the messaging system's send log: delivery rates, contamination, messages delivered per student",
  builder: (y) =>
    y
      .option('study', {
        type: 'string',
        demandOption: true,
        describe: 'the study folder pilot assign wrote (assignments.csv and its manifest)',
      })
      .option('log', {
        type: 'string',
        demandOption: true,
        describe: 'send log CSV: one row per message (student, send date, mode, status)',
      })
      .option('map', { type: 'string', describe: 'mapping file whose "deliveries" section reads a vendor\'s export' })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'folder for deliveries.json, delivery-rates.csv and the two private files',
      })
      .option('force', { type: 'boolean', default: false, describe: 'replace the files of an earlier run in --out' })
      .option('json', { type: 'boolean', default: false, describe: 'print deliveries.json instead of the summary' })
      .group(['study', 'log', 'map'], 'Inputs:')
      .group(['out', 'force', 'json'], 'Output:'),
  examples: [
    {
      line: 'pilot deliveries --study fixtures/study --log fixtures/deliveries/send-log.csv.gz --out deliveries',
      does: 'a send log in the generic layout',
    },
    {
      line: 'pilot deliveries --study fixtures/study --log fixtures/deliveries/parentsquare.csv --map fixtures/mappings/parentsquare-deliveries.json --out deliveries-parentsquare',
      does: 'a ParentSquare export, read through its mapping',
    },
  ],
  handler: async (args, io) => {
    const { summary, files } = await recordDeliveries({
      study: args.study,
      log: args.log,
      map: args.map,
      out: args.out,
      force: args.force,
    });
    if (args.json) return io.stdout(JSON.stringify(summary, null, 2));
    io.stdout(formatDeliverySummary(summary));
    io.stdout(`\nWrote ${files.summary} and ${files.rates}; ${files.perStudent} and ${files.contamination} (readable by you only).`);
  },
};
