// What a FAL request id may look like before the app stores it, follows it and puts it in URLs.
// FAL's ids are UUIDs; a gateway or a broken answer can hand back anything (a number, "", a path,
// 20 kB): that is no id of a request we can follow, and FAL may still have queued the job.

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isFalRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

/**
 * Why `value` (a request id FAL's answer named: a submit answer, a result answer's header, a row of the
 * request history) cannot be stored, followed or counted as one - or null when it can. Not an id's
 * shape; or naming the FAL key (the whole key, its id or secret half, in any case, or as it reads in
 * base64 - whatever `redact` hides): a hostile proxy or a broken gateway. Stored, the key would sit in
 * the database and the window, and go into every status URL.
 */
export function refusedRequestId(value: unknown, redact: (text: string) => string): 'not_an_id' | 'names_the_key' | null {
  if (!isFalRequestId(value)) return 'not_an_id';
  return redact(value) === value ? null : 'names_the_key';
}
