import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, placeWindow, type Rect } from '../../src/main/window-bounds';

const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const right: Rect = { x: 1920, y: 0, width: 1280, height: 984 };

const inside = (r: Rect, area: Rect) =>
  r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height;

describe('placeWindow', () => {
  it('centers a default-size window on the primary display the first time', () => {
    const { bounds, maximized } = placeWindow(null, [primary], primary);
    expect(bounds).toEqual({ x: 320, y: 110, ...DEFAULT_SIZE });
    expect(maximized).toBe(false);
  });

  it('keeps a saved position that is fully visible, on any display', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700, maximized: true };
    expect(placeWindow(saved, [primary, right], primary)).toEqual({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: true });
  });

  it('moves a window back to the primary display when its monitor is gone', () => {
    const { bounds } = placeWindow({ x: 2000, y: 100, width: 1000, height: 700 }, [primary], primary);
    expect(inside(bounds, primary)).toBe(true);
    expect(bounds).toMatchObject({ width: 1000, height: 700 });
  });

  it('pulls a partly visible window fully onto the display and shrinks it to fit', () => {
    const { bounds } = placeWindow({ x: 1500, y: -10, width: 3000, height: 2000 }, [primary], primary);
    expect(inside(bounds, primary)).toBe(true);
    expect(bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('does not trust a spot where only a sliver of the title bar would show', () => {
    const { bounds } = placeWindow({ x: 1900, y: 50, width: 900, height: 600 }, [primary], primary);
    // 20 px of title bar left on screen is not enough to grab: centered instead.
    expect(bounds).toEqual({ x: 510, y: 220, width: 900, height: 600 });
  });

  it('ignores nonsense and enforces the minimum size', () => {
    const { bounds } = placeWindow({ x: Number.NaN, y: 5, width: 10, height: -4 }, [primary], primary);
    expect(bounds.width).toBe(MIN_SIZE.width);
    expect(bounds.height).toBe(DEFAULT_SIZE.height);
    expect(inside(bounds, primary)).toBe(true);
  });
});
