// The fake FAL server in its own process for the benches: FAL's work (serving uploads, the queue,
// status streams, results and model files) runs on FAL's machines, so it must not share the engine's
// thread or be counted in its CPU. Argument: the server's options as JSON. Prints "url <base url>";
// stops on SIGTERM or when its parent's stdin closes. Read its events through GET /_fake/state.
// Started by fake-fal-process.ts.
import { startFakeFal } from '../test/fake-fal/server';
import type { FakeFalOptions } from '../test/fake-fal/types';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeFalOptions;
const fake = await startFakeFal({ latencyMs: 0, ...options });
const stop = () => void fake.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`url ${fake.url}\n`);
