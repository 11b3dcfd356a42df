import { describe, expect, it } from 'vitest';
import { friendlyLogLine, LogLines, PROGRESS, queuedProgress, runningProgress } from '../../../src/core/fal/progress';

describe('friendlyLogLine', () => {
  it('maps FAL stage messages to friendly lines', () => {
    expect(friendlyLogLine('Initializing model')?.text).toBe('Starting 3D model generation...');
    expect(friendlyLogLine('Processing image')?.text).toBe('Processing image');
    expect(friendlyLogLine('Generating mesh')?.text).toBe('Generating mesh');
    expect(friendlyLogLine('Applying textures')?.text).toBe('Applying textures');
    expect(friendlyLogLine('Optimizing geometry')?.text).toBe('Optimizing geometry');
    expect(friendlyLogLine('Finalizing output')?.text).toBe('Finalizing output');
    expect(friendlyLogLine('Upload complete')?.text).toBe('Upload complete');
  });

  it('passes unknown lines through trimmed and drops empty ones', () => {
    expect(friendlyLogLine('  step 3/10   done \n')).toEqual({ text: 'step 3/10 done', floor: null });
    expect(friendlyLogLine('   ')).toBeNull();
    expect(friendlyLogLine('x'.repeat(500))!.text.length).toBeLessThanOrEqual(200);
  });

  it('cuts a long line between characters as people see them, never inside an emoji', () => {
    // 198 letters put the 200-unit cut inside the second fox (a surrogate pair) and the family (joined emoji).
    const fox = friendlyLogLine(`${'a'.repeat(198)}${'🦊'.repeat(5)}`)!.text;
    expect(/[\uD800-\uDFFF]/u.test(fox)).toBe(false);
    expect(fox).toBe(`${'a'.repeat(198)}🦊…`);
    const family = '👩‍👩‍👧';
    const joined = friendlyLogLine(`${'b'.repeat(198)}${family.repeat(3)}`)!.text;
    expect(joined).toBe(`${'b'.repeat(198)}${family}…`);
    // Counted in characters: 200 emoji fit as they are.
    expect(friendlyLogLine('🦊'.repeat(200))!.text).toBe('🦊'.repeat(200));
  });

  // How fast: bench/queue.bench.ts, section "log line cut" (performance targets live in benches).
  it('cuts a megabyte line to the same 200 characters as a short one', () => {
    // 1 MB of emoji (surrogate pairs): 199 whole foxes and the ellipsis, no half character.
    expect(friendlyLogLine('🦊'.repeat(500_000))!.text).toBe(`${'🦊'.repeat(199)}…`);
    // 1 MB of words and runs of spaces and newlines: collapsed, then cut like the short line it starts as.
    const words = 'step 3/10  done\n\t'.repeat(60_000);
    const collapsed = words.replace(/\s+/g, ' ').trim();
    const cut = friendlyLogLine(words)!;
    expect(cut).toEqual({ text: `${collapsed.slice(0, 199)}…`, floor: null });
    expect(friendlyLogLine(words.slice(0, 400))!.text).toBe(cut.text);
    // A stage message at the start of a megabyte line is still that stage.
    expect(friendlyLogLine(`Generating mesh ${'x'.repeat(1_000_000)}`)).toEqual({ text: 'Generating mesh', floor: expect.any(Number) });
  });
});

describe('LogLines', () => {
  it('drops duplicates from cumulative polls and repeated messages', () => {
    const lines = new LogLines();
    const a = { message: 'Initializing model', timestamp: 't1' };
    const b = { message: 'Generating mesh', timestamp: 't2' };
    expect(lines.accept([a])).toEqual(['Starting 3D model generation...']);
    expect(lines.accept([a, b])).toEqual(['Generating mesh']);
    expect(lines.accept([a, b, { message: 'Generating mesh', timestamp: 't3' }])).toEqual([]);
    expect(lines.floor).toBe(50);
  });

  it('ignores malformed entries', () => {
    expect(new LogLines().accept([{ message: 3 }, {}, { message: 'ok' }])).toEqual(['ok']);
  });
});

describe('progress bands', () => {
  it('queued progress rises as the position falls, within 15..19', () => {
    expect(queuedProgress(10)).toBe(15);
    expect(queuedProgress(2)).toBe(17);
    expect(queuedProgress(0)).toBe(19);
    expect(queuedProgress(null)).toBe(15);
  });

  it('running progress follows stages and time, never past 89', () => {
    expect(runningProgress(0, 60_000, 0)).toBe(PROGRESS.running);
    expect(runningProgress(0, 60_000, 50)).toBe(50);
    const later = runningProgress(60_000, 60_000, 0);
    expect(later).toBeGreaterThan(60);
    expect(runningProgress(10 * 60_000, 60_000, 85)).toBeLessThanOrEqual(89);
  });
});
