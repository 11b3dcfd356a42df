// The app shell: connects to the core, then lays out the sidebar and the views. Data lives in
// hooks (useJobs, useSettings, ...); this file only wires them together.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import type { ModelSummary } from '../../shared/models';
import type { Settings } from '../../shared/settings';
import { appGenerator } from '../../shared/default-generator';
import { call } from './api';
import { AppContext, type AppContextValue, type NavigateOptions, type View } from './app-context';
import { AboutDialog } from './components/AboutDialog';
import { ConnectionError } from './components/ConnectionError';
import { Icon } from './components/Icon';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { CreateView } from './features/create/CreateView';
import { useFileDrop } from './features/drop/useFileDrop';
import { useImageIntake } from './features/drop/useImageIntake';
import { usePaste } from './features/drop/usePaste';
import { LibraryView } from './features/library/LibraryView';
import { queueCounts, unfinished } from './features/queue/queue-counts';
import { SettingsView } from './features/settings/SettingsView';
import { StatsView } from './features/stats/StatsView';
import { useApiEvent } from './hooks/useApiEvent';
import { useCostSummary } from './hooks/useCostSummary';
import { useJobs } from './hooks/useJobs';
import { useKeyStatus } from './hooks/useKeyStatus';
import { useLibraryCount } from './hooks/useLibraryCount';
import { useModels } from './hooks/useModels';
import { useNow } from './hooks/useNow';
import { useQueueState } from './hooks/useQueueState';
import { useSettings, type SettingsApi } from './hooks/useSettings';
import { useTheme } from './hooks/useTheme';
import { useToasts } from './hooks/useToasts';
import { namePasted, readClipboardImages } from './lib/collect-files';
import { errorMessage } from './lib/errors';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const connect = useCallback(() => {
    call('app:info').then(
      (next) => {
        setInfo(next);
        setFailure(null);
      },
      (err: unknown) => setFailure(errorMessage(err)),
    );
  }, []);
  useEffect(connect, [connect]);

  if (failure) return <ConnectionError message={failure} onRetry={connect} />;
  if (!info) return <Splash />;
  return <Shell info={info} />;
}

function Splash() {
  return (
    <div className="splash" aria-busy="true">
      <Icon name="spinner" size={24} className="spin" />
    </div>
  );
}

/** Loads what every view needs (settings, models) before showing anything. */
function Shell({ info }: { info: AppInfo }) {
  const settingsApi = useSettings();
  const models = useModels();
  useTheme(settingsApi.settings?.theme);
  if (settingsApi.error) return <ConnectionError message={settingsApi.error} />;
  if (!settingsApi.settings || !models) return <Splash />;
  return <Workspace info={info} settings={settingsApi.settings} update={settingsApi.update} models={models} />;
}

interface WorkspaceProps {
  info: AppInfo;
  settings: Settings;
  update: SettingsApi['update'];
  models: ModelSummary[];
}

function Workspace({ info, settings, update, models }: WorkspaceProps) {
  const jobs = useJobs();
  const queue = useQueueState();
  const keys = useKeyStatus();
  const cost = useCostSummary();
  const libraryCount = useLibraryCount();
  const { toasts, push: toast, dismiss } = useToasts();
  const [view, setView] = useState<View>('create');
  const [libraryOpenId, setLibraryOpenId] = useState<string | null>(null);
  const [settingsFocus, setSettingsFocus] = useState<string | null>(null);
  const [exportRequest, setExportRequest] = useState(0);
  const [aboutOpen, setAboutOpen] = useState(false);

  const navigate = useCallback((next: View, options?: NavigateOptions) => {
    setView(next);
    if (next === 'library') setLibraryOpenId(options?.focus ?? null);
    if (next === 'settings') setSettingsFocus(options?.focus ?? null);
  }, []);

  const modelLabel = useCallback(
    (endpoint: string) => models.find((m) => m.id === endpoint)?.label ?? endpoint.split('/').slice(-2).join('/'),
    [models],
  );

  const hasKey = keys.status?.set ?? info.falKey.configured;
  const generator = appGenerator(settings, hasKey);
  const context = useMemo<AppContextValue>(
    () => ({ info, settings, updateSettings: update, models, generator, hasKey, modelLabel, navigate, toast }),
    [info, settings, update, models, generator, hasKey, modelLabel, navigate, toast],
  );

  const { upsert, mark: markJobEvents } = jobs;
  const onAdded = useCallback(
    (added: Parameters<typeof upsert>[0], since: number) => {
      upsert(added, since);
      setView('create');
    },
    [upsert],
  );
  const onIntakeError = useCallback((text: string) => toast({ tone: 'error', text }), [toast]);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const openFileInput = useCallback(() => fileInputRef.current?.click(), []);
  const intake = useImageIntake({
    endpoint: generator,
    preset: settings.defaultPreset,
    transport: info.transport,
    openFileInput,
    markJobEvents,
    onAdded,
    onError: onIntakeError,
    stageSets: (models.find((m) => m.id === generator)?.images.max ?? 1) > 1,
  });
  const dragging = useFileDrop((collected) => {
    collected.then(intake.add, (err: unknown) => toast({ tone: 'error', text: `Could not read what was dropped: ${errorMessage(err)}` }));
  });
  usePaste((files) => void intake.add({ files, folderPaths: [], skipped: 0 }));

  const pasteFromMenu = async () => {
    try {
      const files = await readClipboardImages();
      if (files.length === 0) return toast({ text: 'The clipboard holds no image.' });
      await intake.add({ files: files.map(namePasted), folderPaths: [], skipped: 0 });
    } catch (err) {
      toast({ tone: 'error', text: `Could not read the clipboard: ${errorMessage(err)}` });
    }
  };

  useApiEvent('app:command', ({ command }) => {
    if (command === 'open-images') intake.pick();
    else if (command === 'paste-images') void pasteFromMenu();
    else if (command === 'open-settings') navigate('settings');
    else if (command === 'export-model') {
      if (view !== 'library') toast({ text: 'Open a model in the library to export it.' });
      else setExportRequest((n) => n + 1);
    }
  });

  // Ctrl/Cmd+1..4 switch views; Ctrl/Cmd+O chooses images (the desktop menu sends the same).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const views: Record<string, View> = { '1': 'create', '2': 'library', '3': 'settings', '4': 'stats' };
      const next = views[event.key];
      if (next) {
        event.preventDefault();
        navigate(next);
      } else if (event.key.toLowerCase() === 'o' && info.transport === 'web') {
        event.preventDefault();
        intake.pick();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, intake, info.transport]);

  // The sidebar badge counts what the queue header counts (queue-counts.ts), in the same words.
  const counts = useMemo(() => queueCounts(jobs.jobs), [jobs.jobs]);
  const openJobs = unfinished(counts);
  const needsAttention =
    jobs.jobs.some((j) => j.state === 'needs_attention') ||
    (queue !== null && queue.status !== 'running' && !(queue.status === 'no_key' && queue.queued === 0));
  const now = useNow(openJobs > 0 || (queue?.resumesAt ?? null) !== null);

  const clearLibraryOpen = useCallback(() => setLibraryOpenId(null), []);
  const clearSettingsFocus = useCallback(() => setSettingsFocus(null), []);

  return (
    <AppContext value={context}>
      <div className="app">
        <Sidebar
          view={view}
          onNavigate={navigate}
          onAbout={() => setAboutOpen(true)}
          counts={counts}
          attention={needsAttention}
          libraryCount={libraryCount}
          cost={cost}
        />
        <main className="main" id="main">
          {view === 'create' && <CreateView jobs={jobs} queue={queue} intake={intake} dragging={dragging} keySet={hasKey} now={now} />}
          {view === 'library' && <LibraryView openId={libraryOpenId} onOpened={clearLibraryOpen} exportRequest={exportRequest} />}
          {view === 'settings' && <SettingsView keys={keys} cost={cost} focus={settingsFocus} onFocused={clearSettingsFocus} />}
          {view === 'stats' && <StatsView />}
        </main>
      </div>
      <input
        ref={fileInputRef}
        type="file"
        multiple
        accept="image/*,.heic,.heif,.avif"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-input"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = ''; // choosing the same file again must fire change again
          if (files.length) void intake.add({ files, folderPaths: [], skipped: 0 });
        }}
      />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-frame">
            <div className="drop-overlay-inner">
              <Icon name="upload" size={36} />
              Drop to add images
            </div>
          </div>
        </div>
      )}
      <AboutDialog open={aboutOpen} info={info} keyStatus={keys.status} onClose={() => setAboutOpen(false)} />
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </AppContext>
  );
}
