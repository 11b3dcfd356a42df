// Calling one channel of the app and unwrapping its Result. Kept apart from api.ts (which finds
// window.api when loaded) so the rule can be tested without a window. A transport that lacks a channel
// (an older preload, a test double) or breaks instead of answering must not reach the user as a
// minified "n is not a function": every such failure becomes an ApiCallError in plain words.
import type { Api, ChannelName } from '../../shared/contract';

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type RawResult = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** What the user reads when the app could not answer at all; the channel says where it happened. */
export function noAnswerMessage(channel: string): string {
  return `The app could not answer this request (${channel}). Restart the app; if it keeps happening, please report it.`;
}

function isResult(value: unknown): value is RawResult {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'data' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' && 'code' in error && typeof error.code === 'string';
}

/** Calls `channel` on `api` and returns its data, or throws ApiCallError with a message a person can act on. */
export async function callChannel(api: Partial<Api>, channel: ChannelName, input: unknown): Promise<unknown> {
  const fn: unknown = api[channel];
  if (typeof fn !== 'function') {
    console.error(`window.api has no "${channel}" channel`);
    throw new ApiCallError('unsupported', noAnswerMessage(channel));
  }
  let result: unknown;
  try {
    result = await (fn as (input: unknown) => Promise<unknown>)(input);
  } catch (error) {
    // What broke is for the console; the user gets a sentence, not a stack's first line.
    console.error(`The "${channel}" call failed`, error);
    throw new ApiCallError('internal', noAnswerMessage(channel));
  }
  if (!isResult(result)) {
    console.error(`The "${channel}" call answered something that is not a result`, result);
    throw new ApiCallError('internal', noAnswerMessage(channel));
  }
  if (!result.ok) throw new ApiCallError(result.error.code, result.error.message);
  return result.data;
}
