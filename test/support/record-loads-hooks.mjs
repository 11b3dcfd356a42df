// The load hook of record-loads.mjs (runs on the loader thread).
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  const log = process.env.IMAGE2MODEL_TEST_LOAD_LOG;
  if (log) appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
}
