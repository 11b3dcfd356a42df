// The status event stream as the FAL client gets it: each event capped (event-stream-cap.ts) and cut
// only between characters (whole-characters.ts), in one stage. Each stage of a web stream pipe costs
// promise turns per chunk, and the stream's COMPLETED event is what hands a slot to the next job.
import { eventSizeCheck, MAX_EVENT_BYTES } from './event-stream-cap';
import { characterCutter } from './whole-characters';

export function guardStatusStream(body: ReadableStream<Uint8Array>, maxEventBytes = MAX_EVENT_BYTES): ReadableStream<Uint8Array> {
  const check = eventSizeCheck(maxEventBytes);
  const cutter = characterCutter();
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const tooLarge = check(chunk);
        if (tooLarge) return controller.error(tooLarge);
        const whole = cutter.cut(chunk);
        if (whole) controller.enqueue(whole);
      },
      flush(controller) {
        const rest = cutter.rest();
        if (rest) controller.enqueue(rest);
      },
    }),
  );
}
