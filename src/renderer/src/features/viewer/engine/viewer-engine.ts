// The viewer behind the React component: owns the stage while mounted, opens models (a newer open
// cancels an older one), applies the toggles and renders only when something changed. React reads
// its state through subscribe/getSnapshot (useSyncExternalStore).
// Over 300 lines on purpose: it is the one stateful object the component talks to. Its sections
// (store, lifecycle, models, lighting, toggles, linked views, frames) share the mounted stage, the load
// in flight and the settings, so they stay in one class; all that needs none of that state is already
// in the modules beside it (stage, model-loader, framing, view-modes, dimensions, screenshot, ...).
import { Vector3, type Object3D } from 'three';
import type { ModelStats } from '../../../../../shared/domain';
import { countCoveredPixels, gpuMemory, publishDebug, recordDisposal } from './debug';
import type { LoadTiming } from './debug-types';
import { disposeObject } from './dispose';
import { afterNextPaint, buildRoomEnvironment } from './environment';
import { DimensionsOverlay, measureDimensions, type Dimensions } from './dimensions';
import { applyRelativeView, frameBounds, measureBounds, relativeView, WHOLE_VIEW, type Bounds, type FreeArea, type RelativeView } from './framing';
import { applyInsets, NO_INSETS, projectedBox, type Insets, type ScreenBox } from './free-area';
import { isCanceled, ModelLoader } from './model-loader';
import { RenderScheduler } from './render-scheduler';
import { canvasToPng, composeScreenshot, downloadBlob, screenshotFileName } from './screenshot';
import { Stage } from './stage';
import { listTextures, type TextureEntry } from './texture-list';
import { ViewModes } from './view-modes';
import { clampExposure, loadViewSettings, saveViewSettings, themeBackdrop, type ViewMode, type ViewSettings } from './view-settings';

export type ViewerStatus = 'empty' | 'loading' | 'ready' | 'error';

export interface ViewerSnapshot {
  status: ViewerStatus;
  /** Plain-words reason when status is 'error'. */
  error: string | null;
  stats: ModelStats | null;
  settings: ViewSettings;
  /** The open model's bounding box size (metres), or null. */
  dimensions: Dimensions | null;
  /** The open model's textures, for the flat texture panel. */
  textures: TextureEntry[];
  /** Where the model was framed on screen (CSS px in the viewport), or null. */
  modelBox: ScreenBox | null;
}

export type OpenResult =
  | { outcome: 'shown'; stats: ModelStats }
  | { outcome: 'closed' }
  | { outcome: 'canceled' }
  | { outcome: 'failed'; message: string };

/** Everything that exists only while the viewer is in the page. */
interface Mounted {
  viewport: HTMLElement;
  stage: Stage;
  loader: ModelLoader;
  scheduler: RenderScheduler;
  resizeObserver: ResizeObserver;
  cancelEnvironment: (() => void) | null;
  model: { root: Object3D; bounds: Bounds | null } | null;
  viewModes: ViewModes;
  dimensions: DimensionsOverlay;
  frames: number;
  environmentReadyAt: number | null;
  environment: { buildMs: number; faceSize: number } | null;
  unpublishDebug: () => void;
}

const MAX_TIMINGS = 200;
const SCENE_SETTINGS = ['viewMode', 'autoRotate', 'grid', 'backdrop', 'lighting', 'exposure', 'showDimensions', 'unit'] as const;

export class ViewerEngine {
  private snapshot: ViewerSnapshot;
  private readonly listeners = new Set<() => void>();
  private mounted: Mounted | null = null;
  private currentLoad: AbortController | null = null;
  /** Url asked for while not mounted; opened on mount. */
  private pendingUrl: string | null = null;
  private readonly timings: LoadTiming[] = [];
  private readonly viewListeners = new Set<(view: RelativeView) => void>();
  /** Set while a linked viewer's pose is being applied, so it is not echoed back. */
  private applyingView = false;
  /** Space the page's overlays take along the viewport's edges; the model is framed in the rest. */
  private insets: Insets = NO_INSETS;
  private freeArea: FreeArea = WHOLE_VIEW;
  /** True once the user moved the camera: overlays changing then no longer reframe the model. */
  private userMoved = false;
  /** The app theme's backdrop (see followTheme). */
  private theme: ViewSettings['backdrop'] = themeBackdrop();

  constructor() {
    this.snapshot = { status: 'empty', error: null, stats: null, settings: loadViewSettings(), dimensions: null, textures: [], modelBox: null };
  }

  // ---- store for React --------------------------------------------------------------------------

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ViewerSnapshot => this.snapshot;

  private setSnapshot(patch: Partial<ViewerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /** Creates the renderer inside `viewport`; the returned function disposes everything. */
  mount(viewport: HTMLElement): () => void {
    const stage = new Stage(viewport);
    const mounted: Mounted = {
      viewport,
      stage,
      loader: new ModelLoader(stage.renderer),
      scheduler: new RenderScheduler((delta) => this.drawFrame(mounted, delta)),
      resizeObserver: new ResizeObserver(() => this.resize(mounted)),
      cancelEnvironment: null,
      model: null,
      viewModes: new ViewModes(),
      dimensions: new DimensionsOverlay(stage.scene, viewport),
      frames: 0,
      environmentReadyAt: null,
      environment: null,
      unpublishDebug: () => {},
    };
    this.mounted = mounted;
    this.showEmptyStage(mounted);
    this.applySettings(this.snapshot.settings);
    stage.controls.addEventListener('change', () => mounted.scheduler.request());
    stage.controls.addEventListener('start', () => {
      this.userMoved = true;
    });
    // Linked viewers follow every move of this camera except the ones they caused.
    stage.controls.addEventListener('change', () => {
      if (!this.applyingView) this.emitView(mounted);
    });
    // three restores its GPU state after a context loss; the frame just needs drawing again.
    stage.renderer.domElement.addEventListener('webglcontextrestored', () => mounted.scheduler.request());
    mounted.resizeObserver.observe(viewport);
    mounted.unpublishDebug = publishDebug({
      memory: () => gpuMemory(stage.renderer),
      frames: () => mounted.frames,
      environmentReadyAt: () => mounted.environmentReadyAt,
      environment: () => (mounted.environment ? { ...mounted.environment } : null),
      loads: () => this.timings.map((timing) => ({ ...timing })),
      coverage: (options) => {
        const gridWasVisible = stage.grid.visible;
        stage.grid.visible = options?.includeGrid ?? false;
        stage.render();
        const result = countCoveredPixels(stage.renderer);
        stage.grid.visible = gridWasVisible;
        stage.render();
        return result;
      },
    });
    this.resize(mounted);

    const url = this.pendingUrl;
    this.pendingUrl = null;
    if (url !== null) void this.open(url);

    return () => this.unmount(mounted);
  }

  private unmount(mounted: Mounted): void {
    if (this.mounted !== mounted) return;
    this.mounted = null;
    this.currentLoad?.abort();
    this.currentLoad = null;
    mounted.cancelEnvironment?.();
    mounted.scheduler.dispose();
    mounted.resizeObserver.disconnect();
    mounted.viewModes.detach();
    mounted.dimensions.dispose();
    if (mounted.model) disposeObject(mounted.model.root);
    mounted.model = null;
    mounted.loader.dispose();
    mounted.stage.disposeOwned();
    recordDisposal(gpuMemory(mounted.stage.renderer));
    mounted.unpublishDebug();
    mounted.stage.disposeRenderer();
  }

  // ---- models -----------------------------------------------------------------------------------

  /** Shows the model at `url` (null closes it). A newer call cancels an unfinished older one. */
  async open(url: string | null): Promise<OpenResult> {
    this.currentLoad?.abort();
    this.currentLoad = null;
    const mounted = this.mounted;
    if (!mounted) {
      this.pendingUrl = url;
      return { outcome: 'canceled' };
    }
    if (url === null) {
      this.closeModel(mounted);
      this.setSnapshot({ status: 'empty', error: null, stats: null, dimensions: null, textures: [], modelBox: null });
      return { outcome: 'closed' };
    }

    // A lighting build not started yet would compete with this load; it is rescheduled once shown.
    mounted.cancelEnvironment?.();
    mounted.cancelEnvironment = null;
    const load = new AbortController();
    this.currentLoad = load;
    const timing: LoadTiming = { url, requestedAt: performance.now(), shownAt: null, firstFrameAt: null, outcome: 'pending' };
    this.timings.push(timing);
    if (this.timings.length > MAX_TIMINGS) this.timings.shift();
    this.setSnapshot({ status: 'loading', error: null });

    try {
      const model = await mounted.loader.load(url, load.signal);
      if (load.signal.aborted || this.mounted !== mounted) {
        disposeObject(model.root);
        timing.outcome = 'canceled';
        return { outcome: 'canceled' };
      }
      this.showModel(mounted, model.root);
      timing.shownAt = performance.now();
      timing.outcome = 'shown';
      // Drawn here rather than next frame; the frame that framing requested would only repeat it.
      this.renderNow(mounted);
      if (!mounted.stage.controls.autoRotate) mounted.scheduler.skipPending();
      requestAnimationFrame(() => {
        timing.firstFrameAt = performance.now();
      });
      this.prepareEnvironment(mounted);
      this.setSnapshot({
        status: 'ready',
        stats: model.stats,
        dimensions: measureDimensions(model.root),
        textures: listTextures(model.root),
        modelBox: this.measureModelBox(mounted),
      });
      return { outcome: 'shown', stats: model.stats };
    } catch (error) {
      if (isCanceled(error) || load.signal.aborted) {
        timing.outcome = 'canceled';
        return { outcome: 'canceled' };
      }
      timing.outcome = 'failed';
      const message = error instanceof Error ? error.message : String(error);
      // The old model would be mistaken for the one that failed.
      if (this.mounted === mounted) this.closeModel(mounted);
      this.setSnapshot({ status: 'error', error: message, stats: null, dimensions: null, textures: [], modelBox: null });
      return { outcome: 'failed', message };
    } finally {
      if (this.currentLoad === load) this.currentLoad = null;
    }
  }

  private showModel(mounted: Mounted, root: Object3D): void {
    this.closeModel(mounted);
    mounted.stage.modelRoot.add(root);
    const bounds = measureBounds(root);
    mounted.model = { root, bounds };
    this.userMoved = false;
    if (bounds) {
      frameBounds(mounted.stage.camera, mounted.stage.controls, bounds, this.freeArea);
      mounted.stage.grid.placeUnder(bounds.center.x, bounds.floorY, bounds.center.z, bounds.radius);
    }
    const { settings } = this.snapshot;
    mounted.viewModes.apply(root, settings.viewMode, settings.backdrop);
    mounted.dimensions.show(root, settings.unit, settings.showDimensions, settings.backdrop);
  }

  /** Before any model: the camera framed on a unit-sized space with the grid just below it. */
  private showEmptyStage(mounted: Mounted): void {
    const bounds = { center: new Vector3(0, 0, 0), radius: 1, floorY: -0.8 };
    frameBounds(mounted.stage.camera, mounted.stage.controls, bounds, this.freeArea);
    mounted.stage.grid.placeUnder(0, bounds.floorY, 0, bounds.radius);
  }

  private closeModel(mounted: Mounted): void {
    if (!mounted.model) return;
    // The originals go back on first: the model's own disposal frees exactly what it loaded.
    mounted.viewModes.detach();
    mounted.dimensions.show(null, this.snapshot.settings.unit, false, this.snapshot.settings.backdrop);
    disposeObject(mounted.model.root);
    mounted.model = null;
    mounted.scheduler.request();
  }

  // ---- lighting ---------------------------------------------------------------------------------

  /** Builds the room environment once per mount, after the current frame is on screen. */
  private prepareEnvironment(mounted: Mounted): void {
    if (mounted.stage.hasEnvironment || mounted.cancelEnvironment) return;
    mounted.cancelEnvironment = afterNextPaint(() => {
      mounted.cancelEnvironment = null;
      if (this.mounted !== mounted) return;
      const started = performance.now();
      const target = buildRoomEnvironment(mounted.stage.renderer);
      mounted.stage.useEnvironment(target);
      mounted.environmentReadyAt = performance.now();
      mounted.environment = { buildMs: mounted.environmentReadyAt - started, faceSize: target.width };
      mounted.scheduler.request();
    });
  }

  // ---- toggles ----------------------------------------------------------------------------------

  update(patch: Partial<ViewSettings>): void {
    const previous = this.snapshot.settings;
    const settings = { ...previous, ...patch };
    this.setSnapshot({ settings });
    saveViewSettings(settings);
    // The stats panel is HTML: toggling it needs no new frame.
    if (SCENE_SETTINGS.some((key) => settings[key] !== previous[key])) this.applySettings(settings);
  }

  toggle(key: 'autoRotate' | 'grid' | 'showStats' | 'showStatsCompact' | 'showDimensions'): void {
    this.update({ [key]: !this.snapshot.settings[key] });
  }

  setViewMode(viewMode: ViewMode): void {
    this.update({ viewMode });
  }

  /** The W key: wireframe over the shaded model, or back to lit. */
  toggleWireframe(): void {
    this.setViewMode(this.snapshot.settings.viewMode === 'wireframe' ? 'lit' : 'wireframe');
  }

  setExposure(stops: number): void {
    this.update({ exposure: clampExposure(stops) });
  }

  /** A backdrop the host imposes (the export previews follow the app's theme): applied, not remembered. */
  setBackdrop(backdrop: ViewSettings['backdrop']): void {
    const previous = this.snapshot.settings;
    if (previous.backdrop === backdrop) return;
    const settings = { ...previous, backdrop };
    this.setSnapshot({ settings });
    this.applySettings(settings);
  }

  /**
   * The app's theme changed (or is first known): the backdrop follows it unless the user chose one.
   * Remembered as the theme, so a toggle back to it is no choice any more (see toggleBackdrop).
   */
  followTheme(theme: ViewSettings['backdrop']): void {
    this.theme = theme;
    if (!this.snapshot.settings.backdropChosen) this.setBackdrop(theme);
  }

  /** The B key: the other backdrop, remembered as the user's choice - unless it is the theme's own. */
  toggleBackdrop(): void {
    const backdrop = this.snapshot.settings.backdrop === 'dark' ? 'light' : 'dark';
    this.update({ backdrop, backdropChosen: backdrop !== this.theme });
  }

  resetView(): void {
    const mounted = this.mounted;
    const bounds = mounted?.model?.bounds;
    if (!mounted || !bounds) return;
    this.userMoved = false;
    frameBounds(mounted.stage.camera, mounted.stage.controls, bounds, this.freeArea);
    mounted.scheduler.request();
    this.setSnapshot({ modelBox: this.measureModelBox(mounted) });
  }

  /**
   * Tells the viewer how much of each edge the page's overlays cover (CSS px). The projection centre
   * moves into the free part, and a model the user has not moved yet is framed in it again.
   */
  setInsets(insets: Insets): void {
    const same = (Object.keys(insets) as (keyof Insets)[]).every((side) => Math.round(insets[side]) === Math.round(this.insets[side]));
    if (same) return;
    this.insets = { ...insets };
    const mounted = this.mounted;
    if (!mounted) return;
    this.fitToViewport(mounted);
    this.renderNow(mounted);
  }

  /** Applies the insets to the current viewport size and reframes an unmoved model. */
  private fitToViewport(mounted: Mounted): void {
    const { clientWidth, clientHeight } = mounted.viewport;
    this.freeArea = applyInsets(mounted.stage.camera, clientWidth, clientHeight, this.insets);
    const bounds = mounted.model?.bounds;
    if (bounds && !this.userMoved) frameBounds(mounted.stage.camera, mounted.stage.controls, bounds, this.freeArea);
    if (mounted.model) this.setSnapshot({ modelBox: this.measureModelBox(mounted) });
  }

  private measureModelBox(mounted: Mounted): ScreenBox | null {
    const root = mounted.model?.root;
    return root ? projectedBox(root, mounted.stage.camera, mounted.viewport.clientWidth, mounted.viewport.clientHeight) : null;
  }

  private applySettings(settings: ViewSettings): void {
    const mounted = this.mounted;
    if (!mounted) return;
    const { stage } = mounted;
    stage.grid.visible = settings.grid;
    stage.grid.setTone(settings.backdrop);
    stage.controls.autoRotate = settings.autoRotate;
    stage.setLighting(settings.lighting);
    stage.setExposure(settings.exposure);
    const root = mounted.model?.root ?? null;
    if (mounted.viewModes.current !== settings.viewMode) mounted.viewModes.apply(root, settings.viewMode, settings.backdrop);
    mounted.viewModes.setTone(settings.backdrop);
    mounted.dimensions.show(root, settings.unit, settings.showDimensions, settings.backdrop);
    mounted.scheduler.request();
  }

  // ---- linked cameras ---------------------------------------------------------------------------

  /** Calls `listener` whenever the user moves this viewer's camera (not when setView moves it). */
  onViewChange(listener: (view: RelativeView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  getView(): RelativeView | null {
    const mounted = this.mounted;
    const bounds = mounted?.model?.bounds;
    return mounted && bounds ? relativeView(mounted.stage.camera, mounted.stage.controls, bounds) : null;
  }

  /** Shows the open model from `view` (relative to its own size, so models of any size match). */
  setView(view: RelativeView): void {
    const mounted = this.mounted;
    const bounds = mounted?.model?.bounds;
    if (!mounted || !bounds) return;
    this.applyingView = true;
    try {
      applyRelativeView(mounted.stage.camera, mounted.stage.controls, bounds, view);
      mounted.stage.controls.update();
    } finally {
      this.applyingView = false;
    }
    mounted.scheduler.request();
  }

  private emitView(mounted: Mounted): void {
    if (this.viewListeners.size === 0 || !mounted.model?.bounds) return;
    const view = relativeView(mounted.stage.camera, mounted.stage.controls, mounted.model.bounds);
    for (const listener of this.viewListeners) listener(view);
  }

  // ---- frames -----------------------------------------------------------------------------------

  private drawFrame(mounted: Mounted, deltaSeconds: number): boolean {
    // update() moves the camera for damping and auto-rotate; it reports whether anything moved.
    const moving = mounted.stage.controls.update(deltaSeconds);
    this.renderNow(mounted);
    return moving || mounted.stage.controls.autoRotate;
  }

  private renderNow(mounted: Mounted): void {
    mounted.stage.render();
    mounted.frames++;
    mounted.dimensions.place(mounted.stage.camera, mounted.viewport.clientWidth, mounted.viewport.clientHeight);
  }

  private resize(mounted: Mounted): void {
    const { clientWidth, clientHeight } = mounted.viewport;
    if (clientWidth === 0 || clientHeight === 0) return;
    mounted.stage.setSize(clientWidth, clientHeight);
    this.fitToViewport(mounted);
    // Resizing clears the canvas: draw again in the same task so it never flashes empty.
    this.renderNow(mounted);
  }

  // ---- screenshot -------------------------------------------------------------------------------

  /** Renders, captures the frame over the current backdrop and downloads it as a PNG. */
  async screenshot(modelName?: string): Promise<void> {
    const mounted = this.mounted;
    if (!mounted) throw new Error('The viewer is not ready');
    this.renderNow(mounted);
    const canvas = composeScreenshot(mounted.stage.renderer.domElement, mounted.viewport);
    downloadBlob(await canvasToPng(canvas), screenshotFileName(modelName));
  }
}
