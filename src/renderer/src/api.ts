// The renderer's one door to the app: Electron's preload provides window.api; in a plain browser the
// WebSocket transport builds the same object. Helpers unwrap results into exceptions with a code.
import type { Api, ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract';
import { ApiCallError, callChannel } from './api-call';
import { createWebApi } from './transport/web-api';

export { ApiCallError };

declare global {
  interface Window {
    api?: Api;
    desktop?: { pathForFile(file: File): string | null };
  }
}

function resolveApi(): Api {
  if (window.api) return window.api;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (!token) throw new ApiCallError('unreachable', 'Open the app from Electron, or use the address printed by `npm run dev:web`.');
  return createWebApi(token, window.location.origin);
}

export const api: Api = resolveApi();

/** Calls a channel and returns its data, or throws ApiCallError with the app's plain-words message. */
export async function call<C extends ChannelName>(channel: C, ...input: undefined extends ChannelInput<C> ? [ChannelInput<C>?] : [ChannelInput<C>]): Promise<ChannelOutput<C>> {
  // The channel's own schema typed the data on the other side (core/ipc/dispatch checks outputs).
  return (await callChannel(api, channel, input[0])) as ChannelOutput<C>;
}
