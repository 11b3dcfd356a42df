// Linked cameras for side-by-side viewers: when the user moves one, the others show their own model
// from the same angle and relative zoom. No three.js here (the compare view imports it eagerly).
import type { RelativeView } from './engine/framing';

export interface LinkableViewer {
  onViewChange(listener: (view: RelativeView) => void): () => void;
  setView(view: RelativeView): void;
}

export class CameraLink {
  private readonly members = new Set<LinkableViewer>();
  private last: RelativeView | null = null;

  /** Adds a viewer; it takes the last shared pose at once. Returns the function that removes it. */
  join(viewer: LinkableViewer): () => void {
    this.members.add(viewer);
    if (this.last) viewer.setView(this.last);
    const off = viewer.onViewChange((view) => {
      this.last = view;
      for (const other of this.members) if (other !== viewer) other.setView(view);
    });
    return () => {
      off();
      this.members.delete(viewer);
    };
  }
}
