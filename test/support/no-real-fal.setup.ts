// vitest setup (every test file): no test reaches the real FAL, in this process or in the processes
// it starts; an attempt fails the test that made it (or the file, when it came after its last test).
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { checkRealFalAttempts, forbidRealFalInChildren, installNoRealFal } from './no-real-fal.mjs';

const log = join(tmpdir(), `i2m-real-fal-${process.pid}-${randomUUID()}.log`);
installNoRealFal();
forbidRealFalInChildren(process.env, log);

afterEach(() => checkRealFalAttempts(log));
afterAll(() => checkRealFalAttempts(log));
