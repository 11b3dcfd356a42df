// 4-connected component labelling on a byte grid, shared by the mask clean-up steps.

export interface Components {
  /** Component id per cell, -1 for cells that do not hold the labelled value. */
  labels: Int32Array;
  sizes: number[];
  touchesBorder: boolean[];
}

export function labelComponents(cells: Uint8Array, width: number, height: number, value: 0 | 1): Components {
  const labels = new Int32Array(width * height).fill(-1);
  const sizes: number[] = [];
  const touchesBorder: boolean[] = [];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < cells.length; start++) {
    if (cells[start] !== value || labels[start] !== -1) continue;
    const id = sizes.length;
    let size = 0;
    let border = false;
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const index = stack[--top]!;
      size++;
      const x = index % width;
      const y = (index - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) border = true;
      if (x > 0) top = visit(index - 1, top);
      if (x < width - 1) top = visit(index + 1, top);
      if (y > 0) top = visit(index - width, top);
      if (y < height - 1) top = visit(index + width, top);
    }
    sizes.push(size);
    touchesBorder.push(border);

    function visit(next: number, top: number): number {
      if (cells[next] === value && labels[next] === -1) {
        labels[next] = id;
        stack[top++] = next;
      }
      return top;
    }
  }
  return { labels, sizes, touchesBorder };
}
