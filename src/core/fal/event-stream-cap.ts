// FAL's status event stream (Server-Sent Events) is read as it comes by @fal-ai/client's parser, which
// holds an unfinished event in memory until the blank line that ends it. A broken or hostile server
// could send one endless event and grow that without bound, so each event is capped; a long stream of
// events is fine (a job may be followed for an hour).
import { ANSWER_TOO_LARGE } from './errors';

/** Largest event accepted: FAL's status events (state, queue position, new log lines) are a few KiB. */
export const MAX_EVENT_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * A scanner of the stream's chunks in order: the error to end the stream with once more than
 * `maxBytes` come between two event boundaries (a blank line; lines end with CRLF, LF or CR, as the
 * SSE format allows), else null.
 */
export function eventSizeCheck(maxBytes = MAX_EVENT_BYTES): (chunk: Uint8Array) => Error | null {
  let eventBytes = 0;
  let lineBytes = 0;
  let afterCR = false;
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF && afterCR) {
        afterCR = false; // the second half of a CRLF
        continue;
      }
      afterCR = byte === CR;
      if (byte === CR || byte === LF) {
        // An empty line ends the event.
        if (lineBytes === 0) eventBytes = 0;
        lineBytes = 0;
        continue;
      }
      lineBytes++;
      if (++eventBytes > maxBytes) return eventTooLarge(maxBytes);
    }
    return null;
  };
}

function eventTooLarge(maxBytes: number): Error {
  const size = maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MiB` : `${maxBytes} bytes`;
  return Object.assign(new Error(`the status stream sent an event larger than ${size} (no end in sight) and was closed`), { code: ANSWER_TOO_LARGE });
}
