// What a FAL request id may look like before the app stores it, follows it and puts it in URLs.
// FAL's ids are UUIDs; a gateway or a broken answer can hand back anything (a number, "", a path,
// 20 kB): that is no id of a request we can follow, and FAL may still have queued the job.

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isFalRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}
