// A change the settings store could not write: refused as a whole, so the app never runs on a setting
// that the next start would quietly take back (the user would see an error, yet the change in effect).
import { AppError } from '../../shared/result';

export function settingsNotSaved(cause: unknown): AppError {
  return new AppError(
    'io_error',
    'The settings could not be saved, so nothing was changed. Check that the disk has free space and that the data folder can be written to, then try again.',
    { cause },
  );
}
