// Reads `X-Fal-Billable-Units` off FAL's result answers (the units FAL charged for that request)
// without touching the queue client: a fetch wrapper that reports them and changes nothing else.
import { MAX_EVENT_UNITS } from '../fal/platform-schemas';
import { refusedRequestId } from '../fal/request-id';

const RESULT_PATH = /\/requests\/([0-9a-f-]{8,})\/?(?:\?|$)/i;

function targetOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  const headers = new Headers(init?.headers);
  const target = headers.get('x-fal-target-url');
  if (target) return target;
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * `redact` hides the FAL key: an answer naming a request id that is no id, or that is the key or a piece
 * of it (a hostile proxy), reports nothing - the id would be stored with the units (real_costs).
 */
export function reportBillableUnits(base: typeof fetch, onUnits: (requestId: string, units: number) => void, redact: (text: string) => string): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    try {
      const raw = response.headers.get('x-fal-billable-units');
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      if (raw !== null && method === 'GET' && response.ok) {
        const id = response.headers.get('x-fal-request-id') ?? RESULT_PATH.exec(targetOf(input, init))?.[1] ?? null;
        const units = Number(raw);
        if (refusedRequestId(id, redact) === null && Number.isFinite(units) && units >= 0 && units <= MAX_EVENT_UNITS) onUnits(id!, units);
      }
    } catch {
      // Reporting is best effort; the answer itself is untouched.
    }
    return response;
  };
}
