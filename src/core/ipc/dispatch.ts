// The handler layer shared by both transports: parse input, call the service, return a typed Result.
// Electron's ipcMain and the browser bridge differ only in how a call arrives and how the sender is checked.
import { z } from 'zod';
import { channels, type ChannelName, type Handlers } from '../../shared/contract';
import { AppError, type Result } from '../../shared/result';
import { declaredKeysAt, describePath, describeUnknownKeys, findCrowdedObject, listSomeKeys, MAX_KEYS_PER_OBJECT, type CrowdedObject } from './input-bounds';

export interface DispatchLogger {
  error(message: string, detail?: unknown): void;
}

export type Dispatch = (channel: string, rawInput: unknown) => Promise<Result<unknown>>;

const isChannel = (name: string): name is ChannelName => Object.prototype.hasOwnProperty.call(channels, name);

/** Turns zod issues into one sentence the user can act on. */
export function describeZodError(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? `${describePath(issue.path.filter((step) => typeof step !== 'symbol'))}: ` : '';
    // zod's own wording lists every unknown name: a few, each shortened, keep the answer short.
    if (issue.code === 'unrecognized_keys') return `${where}Unrecognized keys: ${listSomeKeys(issue.keys)}`;
    return `${where}${issue.message}`;
  });
  return `Invalid request - ${parts.join('; ')}`;
}

/** Refuses an object with a flood of names, naming a few of the ones the channel does not declare. */
function describeCrowded(schema: z.ZodType, crowded: CrowdedObject): string {
  const unknown = describeUnknownKeys(crowded, declaredKeysAt(schema, crowded.path));
  return (
    `Invalid request - ${describePath(crowded.path)} has ${crowded.keys.length.toLocaleString('en-US')} names, ` +
    `more than the ${MAX_KEYS_PER_OBJECT} accepted; names not expected: ${unknown}. Send only the names this request takes.`
  );
}

export function createDispatcher(handlers: Handlers, logger?: DispatchLogger): Dispatch {
  return async (channelName, rawInput) => {
    if (!isChannel(channelName)) {
      return { ok: false, error: { code: 'unknown_channel', message: `Unknown channel "${String(channelName).slice(0, 80)}".` } };
    }
    const { input: inputSchema, output: outputSchema } = channels[channelName];
    const crowded = findCrowdedObject(rawInput);
    if (crowded) return { ok: false, error: { code: 'invalid_input', message: describeCrowded(inputSchema, crowded) } };
    const parsed = inputSchema.safeParse(rawInput);
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: describeZodError(parsed.error) } };
    const handler = handlers[channelName] as ((input: unknown) => Promise<unknown>) | undefined;
    // A core built without this channel (a partial set of handlers) says so, not "handler is not a function".
    if (typeof handler !== 'function') {
      logger?.error(`No handler for ${channelName}`);
      return { ok: false, error: { code: 'unsupported', message: `This part of the app is not available (${channelName}). Restart the app; if it keeps happening, please report it.` } };
    }
    try {
      const output = await handler(parsed.data);
      // Checking outputs too keeps a service bug from sending the renderer something it can't read.
      const checked = outputSchema.safeParse(output);
      if (!checked.success) {
        logger?.error(`Handler for ${channelName} returned an invalid result`, checked.error.issues);
        return { ok: false, error: { code: 'internal', message: 'The app produced an unexpected answer. Please try again.' } };
      }
      return { ok: true, data: checked.data };
    } catch (error) {
      if (error instanceof AppError) {
        // Told in plain words; what failed underneath is kept for the log.
        if (error.cause !== undefined) logger?.error(`Handler for ${channelName} failed: ${error.message}`, error.cause);
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      logger?.error(`Handler for ${channelName} failed`, error);
      return { ok: false, error: { code: 'internal', message: 'Something went wrong inside the app. Please try again.' } };
    }
  };
}
