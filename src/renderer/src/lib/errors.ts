// Turns anything thrown into one sentence a person can read.
import { ApiCallError } from '../api';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

export function errorCode(error: unknown): string | null {
  return error instanceof ApiCallError ? error.code : null;
}
