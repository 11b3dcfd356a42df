import { describe, expect, it } from 'vitest';
import { setOutputName } from '../../../src/cli/write-output';
import { assignViewRoles, guessViewRole, setDisplayName } from '../../../src/shared/input-roles';

describe('guessViewRole', () => {
  it.each([
    ['mug_front.jpg', 'front'],
    ['mug-left.png', 'left'],
    ['Mug_BACK.webp', 'back'],
    ['right.jpg', 'right'],
    ['shots/chair Right 2.jpeg', 'right'],
    ['C:\\photos\\vase.left.png', 'left'],
    ['chairFront.png', 'front'],
    ['front-yard_left.jpg', 'left'],
  ])('%s is the %s view', (name, role) => {
    expect(guessViewRole(name)).toBe(role);
  });

  it.each(['frontier.jpg', 'backpack.png', 'upright.jpg', 'IMG_0042.JPG', 'front/mug.jpg', 'leftovers.png'])('%s names no view', (name) => {
    expect(guessViewRole(name)).toBeNull();
  });
});

describe('assignViewRoles', () => {
  it('keeps the views the names give, whatever the order', () => {
    expect(assignViewRoles(['mug_back.jpg', 'mug_front.jpg', 'mug_left.jpg'])).toEqual(['back', 'front', 'left']);
  });

  it('fills the free views in order for names that give none, front first', () => {
    expect(assignViewRoles(['a.jpg', 'b.jpg', 'c.jpg'])).toEqual(['front', 'left', 'back']);
    expect(assignViewRoles(['x_front.jpg', 'a.jpg', 'z_right.jpg', 'b.jpg'])).toEqual(['front', 'left', 'right', 'back']);
  });

  it('gives a view to one file only, and none to files beyond the four views', () => {
    expect(assignViewRoles(['a_front.jpg', 'b_front.jpg'])).toEqual(['front', 'left']);
    expect(assignViewRoles(['1.jpg', '2.jpg', '3.jpg', '4.jpg', '5.jpg'])).toEqual(['front', 'left', 'back', 'right', null]);
  });
});

describe('setDisplayName', () => {
  it('names a set by what its file names share, without the view words', () => {
    expect(setDisplayName(['mug_front.jpg', 'mug_left.jpg', 'shots/Mug_back.png'])).toBe('mug');
    expect(setDisplayName(['chair 01.jpg', 'chair 02.jpg'])).toBe('chair');
    expect(setDisplayName(['vase-front.png'])).toBe('vase');
  });

  it('falls back to the first photo’s name when the names share nothing: the name the CLI writes the file under', () => {
    expect(setDisplayName(['a.jpg', 'b.jpg', 'c.jpg'])).toBe('a');
    expect(setDisplayName(['front.jpg', 'left.jpg'])).toBe('front');
    expect(setOutputName(['a.jpg', 'b.jpg', 'c.jpg'])).toBe('a.glb');
    expect(setOutputName(['mug_front.jpg', 'mug_left.jpg'])).toBe('mug.glb');
  });

  it("a set's file is a name every system keeps as a file: not a Windows device, not hidden, not a dot", () => {
    expect(setOutputName(['CON_front.jpg', 'CON_back.jpg'])).toBe('_CON.glb');
    expect(setOutputName(['.a.jpg', '.b.jpg'])).toBe('a.glb');
    expect(setOutputName(['..jpg', '..png'])).toBe('model.glb');
  });
});
