// The link FAL's storage gave for an uploaded photo, checked before it is stored or sent.
import { JobFailure } from './run-errors';

export const UPLOAD_LINK_REFUSED_MESSAGE =
  "FAL's storage answered the upload with a link that is not one, or that names your FAL key, so it was not used and nothing was sent to FAL. " +
  'If you use a FAL proxy (Settings -> FAL proxy URL), check it; then retry the job.';

/**
 * The link as it came, or a failure: one that names a key (a hostile proxy, a broken gateway) would
 * put the key in the database and the submit; one that is no http(s) link would be sent to FAL as
 * the model's input and refused there. Nothing has been sent yet, so the job can fail freely.
 */
export function checkedUploadUrl(url: unknown, redact: (text: string) => string): string {
  if (typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) && redact(url) === url) return url;
  throw new JobFailure('upload_failed', UPLOAD_LINK_REFUSED_MESSAGE, true);
}
