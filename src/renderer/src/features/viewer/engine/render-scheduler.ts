// Render on demand: a frame is drawn only after something asked for one. The draw callback returns
// true while it wants more frames (damping settling, auto-rotate), so animation loops run only then.
const MAX_STEP_SECONDS = 0.1;

export class RenderScheduler {
  private frame = 0;
  private lastTime = 0;

  constructor(private readonly draw: (deltaSeconds: number) => boolean) {}

  /** Asks for one frame; several requests before the next frame collapse into one. */
  request(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(this.tick);
  }

  /** Drops a requested frame that a direct render has made unnecessary. */
  skipPending(): void {
    this.dispose();
    this.lastTime = 0;
  }

  dispose(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private readonly tick = (now: number): void => {
    this.frame = 0;
    // After an idle period the first step is one nominal frame, not the whole pause.
    const delta = this.lastTime === 0 ? 1 / 60 : Math.min((now - this.lastTime) / 1000, MAX_STEP_SECONDS);
    this.lastTime = now;
    if (this.draw(delta)) this.request();
    else if (this.frame === 0) this.lastTime = 0;
  };
}
