/**
 * One measurement in a process of its own, so that its memory and load times are not those of the parent
 * that already holds other indexes and a model. Started by scripts/bench.ts; prints `RESULT <json>` last.
 */
import { buildBotIndex, serveBot } from './bot.ts';
import { benchConfig } from './config.ts';
import { benchEmbedding } from './embedding.ts';
import { benchQuery } from './query.ts';
import { buildScale, searchScale } from './scale.ts';
import { GermanText } from './text.ts';

const [task, json] = process.argv.slice(2);
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment -- the parent wrote these arguments for this very task */
const args = JSON.parse(json ?? '{}') as Record<string, any>;
const log = (line: string) => process.stderr.write(`${line}\n`);

let result: unknown;
switch (task) {
  case 'scale-build':
    result = await buildScale(args.n, args.dir, args.params, args.queries);
    break;
  case 'scale-search':
    result = await searchScale(args.dir, args.params, args.passes, args.loadOnly);
    break;
  case 'embedding':
    result = await benchEmbedding(benchConfig(), args.quantized, new GermanText(args.corpusDir), { ...args.plan, rounds: 1, log });
    break;
  case 'bot-index':
    result = await buildBotIndex(args.vars, args.articles, new GermanText(args.corpusDir));
    break;
  case 'bot-serve':
    result = await serveBot(args.vars, args.api, args.token);
    break;
  case 'query':
    result = await benchQuery(benchConfig(), new GermanText(args.corpusDir), args.n, args.dir, { questions: args.questions, passes: args.passes, log });
    break;
  default:
    throw new Error(`bench child: unknown task ${task}`);
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
