// Bytes as they cross a worker boundary (a structured clone keeps a Uint8Array a Uint8Array).
import { z } from 'zod';

export const BytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'Expected bytes');
