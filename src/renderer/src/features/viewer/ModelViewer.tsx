// The 3D viewer: a toolbar and a canvas that fill their container. Meant to be loaded lazily
// (three.js stays out of the start-up bundle):
//   const ModelViewer = lazy(() => import('./features/viewer/ModelViewer'));
import { useEffect, useEffectEvent, useRef, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent } from 'react';
import type { ModelStats } from '../../../../shared/domain';
import type { CameraLink } from './camera-link';
import type { Dimensions } from './engine/dimensions';
import type { Backdrop } from './engine/view-settings';
import { ViewerEngine } from './engine/viewer-engine';
import { useResolvedTheme } from '../../hooks/useTheme';
import { InspectorPanel, type InspectorActions } from './InspectorPanel';
import { TexturePanel } from './TexturePanel';
import { ViewerStats } from './ViewerStats';
import { ViewerToolbar, type ToolbarAction } from './ViewerToolbar';
import { isWindowShortcut, shortcutKey } from './shortcut-keys';
import { useOverlayInsets } from './useOverlayInsets';
import './viewer.css';

/** Where a panel starts (px from the viewer's top) under a one-row toolbar. */
const PANEL_TOP = 64;

export interface ModelViewerProps {
  /** Model to show (GLB or glTF with embedded data), e.g. an i2m:// library url; null shows nothing. */
  url: string | null;
  /** Shown in the corner and used for the screenshot's file name. */
  name?: string;
  /** Called once per successfully opened model. */
  onStats?: (stats: ModelStats) => void;
  /** Called when a model cannot be opened, with a plain-words message. */
  onError?: (message: string) => void;
  /** Called with the open model's bounding box size (metres), null when none is open. */
  onDimensions?: (dimensions: Dimensions | null) => void;
  /** Viewers sharing a link show their models from the same angle (the compare view). */
  cameraLink?: CameraLink;
  /** False hides the "large view" action (e.g. where the viewer already fills the window). */
  allowLargeView?: boolean;
  /** Imposes the backdrop (e.g. the app's theme where the toolbar is hidden) instead of the remembered one. */
  backdrop?: Backdrop;
  /**
   * The only viewer on screen (the library's pane): its keyboard shortcuts work from anywhere in the
   * window while a model is shown, not only with the focus inside it (see shortcut-keys.ts).
   */
  windowShortcuts?: boolean;
}

export function ModelViewer({ url, name, onStats, onError, onDimensions, cameraLink, allowLargeView = true, backdrop, windowShortcuts = false }: ModelViewerProps) {
  const [engine] = useState(() => new ViewerEngine());
  const snapshot = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const viewportRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const [large, setLarge] = useState(false);
  const [panel, setPanel] = useState<'inspector' | 'textures' | null>(null);
  const { settings, status, stats } = snapshot;
  // A small viewer (the library's side pane) keeps its own stats choice, off by default: the panel
  // would cover most of the model there. Either way the model is framed in what the overlays leave.
  const layout = useOverlayInsets(rootRef, large, [settings.showStats, settings.showStatsCompact, stats, panel, status]);
  const compact = layout.compact;
  const statsShown = stats !== null && (compact ? settings.showStatsCompact : settings.showStats);
  useEffect(() => engine.setInsets(layout.insets), [engine, layout.insets]);
  const reportDimensions = useEffectEvent((dimensions: Dimensions | null) => onDimensions?.(dimensions));
  const reportStats = useEffectEvent((stats: ModelStats) => onStats?.(stats));
  const reportError = useEffectEvent((message: string) => onError?.(message));
  const reportScreenshotError = (error: unknown) => onError?.(error instanceof Error ? error.message : String(error));

  // Declared before the url effect: React runs effects in order, so the stage exists when a model opens.
  useEffect(() => engine.mount(viewportRef.current!), [engine]);
  // An imposed backdrop wins; otherwise the app's theme, unless the user chose one with the toggle.
  const theme = useResolvedTheme();
  useEffect(() => {
    if (backdrop) engine.setBackdrop(backdrop);
    else engine.followTheme(theme);
  }, [engine, backdrop, theme]);

  useEffect(() => {
    void engine.open(url).then((result) => {
      if (result.outcome === 'shown') reportStats(result.stats);
      else if (result.outcome === 'failed') reportError(result.message);
    });
  }, [engine, url]);

  useEffect(() => reportDimensions(snapshot.dimensions), [snapshot.dimensions]);
  useEffect(() => (cameraLink ? cameraLink.join(engine) : undefined), [cameraLink, engine]);

  // Esc leaves the large view before anything else hears it (the library would close the pane).
  useEffect(() => {
    if (!large) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      event.stopPropagation();
      setLarge(false);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [large]);

  const inspector: InspectorActions = {
    setViewMode: (mode) => engine.setViewMode(mode),
    setLighting: (lighting) => engine.update({ lighting }),
    setExposure: (stops) => engine.setExposure(stops),
    setShowDimensions: (showDimensions) => engine.update({ showDimensions }),
    setUnit: (unit) => engine.update({ unit }),
  };
  const togglePanel = (which: 'inspector' | 'textures') => setPanel((open) => (open === which ? null : which));
  const hasModel = status === 'ready' || (status === 'loading' && stats !== null);
  const takeScreenshot = () => void engine.screenshot(name).catch(reportScreenshotError);
  // Where the model was framed (CSS px in the viewport: left top width height), for checks and tools.
  const box = snapshot.modelBox;
  const modelBox = box ? [box.left, box.top, box.width, box.height].map((n) => Math.round(n)).join(' ') : undefined;

  const groups: ToolbarAction[][] = [
    [
      { id: 'reset', label: 'Reset view', shortcut: 'R', icon: 'reset', disabled: !hasModel, onClick: () => engine.resetView() },
      { id: 'wireframe', label: 'Wireframe', shortcut: 'W', icon: 'wireframe', pressed: settings.viewMode === 'wireframe', onClick: () => engine.toggleWireframe() },
      { id: 'dimensions', label: 'Dimensions', shortcut: 'D', icon: 'ruler', pressed: settings.showDimensions, onClick: () => engine.toggle('showDimensions') },
      { id: 'auto-rotate', label: 'Auto-rotate', shortcut: 'A', icon: 'autoRotate', pressed: settings.autoRotate, onClick: () => engine.toggle('autoRotate') },
      { id: 'grid', label: 'Ground grid', shortcut: 'G', icon: 'grid', pressed: settings.grid, onClick: () => engine.toggle('grid') },
      {
        id: 'backdrop',
        label: 'Light background',
        shortcut: 'B',
        icon: 'backdrop',
        pressed: settings.backdrop === 'light',
        onClick: () => engine.toggleBackdrop(),
      },
    ],
    [
      {
        id: 'stats',
        label: 'Model statistics',
        shortcut: 'I',
        icon: 'stats',
        pressed: statsShown,
        onClick: () => engine.toggle(compact ? 'showStatsCompact' : 'showStats'),
      },
      { id: 'screenshot', label: 'Save screenshot', shortcut: 'S', icon: 'screenshot', disabled: !hasModel, onClick: takeScreenshot },
    ],
    [
      { id: 'inspector', label: 'Inspector', shortcut: 'V', icon: 'inspector', pressed: panel === 'inspector', onClick: () => togglePanel('inspector') },
      { id: 'textures', label: 'Textures', shortcut: 'T', icon: 'textures', pressed: panel === 'textures', disabled: !hasModel, onClick: () => togglePanel('textures') },
      ...(allowLargeView
        ? [{ id: 'large', label: large ? 'Leave large view' : 'Large view', shortcut: 'F', icon: large ? 'collapse' : 'expand', pressed: large, onClick: () => setLarge((on) => !on) } satisfies ToolbarAction]
        : []),
    ],
  ];

  /** Runs the toolbar action for `key` (a shortcutKey); false when none is there to run. */
  const runShortcut = (key: string | null): boolean => {
    const action = key === null ? undefined : groups.flat().find((a) => a.shortcut.toLowerCase() === key);
    if (!action || action.disabled) return false;
    action.onClick();
    return true;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (runShortcut(shortcutKey(event))) event.preventDefault();
  };
  // Keys from inside this viewer were handled above (and are default-prevented or no shortcut).
  const onWindowKey = useEffectEvent((event: globalThis.KeyboardEvent) => {
    if (!hasModel) return;
    if (runShortcut(isWindowShortcut(event, document))) event.preventDefault();
  });
  useEffect(() => {
    if (!windowShortcuts) return;
    const listener = (event: globalThis.KeyboardEvent) => onWindowKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [windowShortcuts]);

  return (
    <div
      ref={rootRef}
      className="mv"
      data-backdrop={settings.backdrop}
      data-status={status}
      data-large={large || undefined}
      data-compact={compact || undefined}
      data-view-mode={settings.viewMode}
      data-model-box={modelBox}
      // Panels open below the toolbar, however many rows it wraps to in a narrow viewer.
      style={{ '--mv-panel-top': `${Math.max(PANEL_TOP, Math.round(layout.insets.top))}px` } as CSSProperties}
      onKeyDown={onKeyDown}
    >
      <div
        ref={viewportRef}
        className="mv-viewport"
        tabIndex={0}
        role="group"
        aria-roledescription="3D viewer"
        aria-label={`${name ?? 'Model'}: drag to orbit, scroll to zoom, right-drag or arrow keys to pan`}
      />
      <div className="mv-topbar">
        {name && (
          <span className="mv-name" title={name}>
            {name}
          </span>
        )}
        <ViewerToolbar groups={groups} />
      </div>
      {statsShown && <ViewerStats stats={stats} compact={compact} />}
      {panel === 'inspector' && <InspectorPanel settings={settings} dimensions={snapshot.dimensions} actions={inspector} />}
      {panel === 'textures' && hasModel && <TexturePanel textures={snapshot.textures} onClose={() => setPanel(null)} />}
      {status === 'loading' && (
        <div className="mv-status" role="status">
          <span className="mv-spinner" aria-hidden="true" />
          Loading model…
        </div>
      )}
      {status === 'error' && (
        <div className="mv-error" role="alert">
          <strong>This model could not be shown</strong>
          <span>{snapshot.error}</span>
        </div>
      )}
      {status === 'empty' && <p className="mv-empty">No model open</p>}
      {hasModel && <p className="mv-hint">Drag to orbit · Scroll to zoom · Right-drag to pan</p>}
    </div>
  );
}

export default ModelViewer;
