// Create: drop images, choose the generator, watch the queue.
import type { Preset, QueueState } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import type { JobsApi } from '../../hooks/useJobs';
import { DropZone } from '../drop/DropZone';
import { IntakeNotice } from '../drop/IntakeNotice';
import { heldPriceUsd } from '../drop/intake-result';
import { ModelChooser, OFFLINE_MODEL_ID } from '../drop/ModelChooser';
import type { ImageIntake } from '../drop/useImageIntake';
import { QueueBanner } from '../queue/QueueBanner';
import { QueuePanel } from '../queue/QueuePanel';
import { FAL_BILLING_URL, openFalKeysPage, openFalPage } from '../settings/KeyGuide';
import { call } from '../../api';
import { SampleTray } from './SampleTray';
import { answerJoinedNote } from '../drop/joined-note';
import { SetComposer } from './SetComposer';
import type { AddJobsResult } from '../../../../shared/contract';
import { isSwitchable, modelsFor } from '../queue/switch-model';
import { errorMessage } from '../../lib/errors';
import { plural } from '../../lib/format';

export interface CreateViewProps {
  jobs: JobsApi;
  queue: QueueState | null;
  intake: ImageIntake;
  dragging: boolean;
  keySet: boolean;
  now: number;
}

export function CreateView({ jobs, queue, intake, dragging, keySet, now }: CreateViewProps) {
  const { settings, updateSettings, models, generator, navigate, toast } = useApp();
  const choose = (choice: Parameters<typeof updateSettings>[0]) =>
    updateSettings(choice).catch((err: Error) => toast({ tone: 'error', text: err.message }));
  const useOffline = () => {
    void choose({ defaultModel: OFFLINE_MODEL_ID });
    toast({ tone: 'info', text: 'New images now use the free offline generator (Relief).' });
  };
  const openModel = (id: string) => navigate('library', { focus: id });
  // The price of one more job like the last drop's (its generator and quality), for "Make again anyway".
  const priceOf = (chosen: { endpoint: string; preset: Preset }) => models.find((m) => m.id === chosen.endpoint)?.priceByPreset[chosen.preset] ?? null;
  const sentWith = intake.result?.sentWith;
  const unitPriceUsd = sentWith ? priceOf(sentWith) : null;
  // Held images may come from several drops (keepHeld), each sent with its own generator: each job once.
  const heldPrice = intake.result ? heldPriceUsd(intake.result, priceOf) : null;
  const sampleAdded = (answer: AddJobsResult) => {
    const { rejected, duplicates } = answer;
    for (const problem of rejected) toast({ tone: 'error', text: problem.reason });
    // The sample already on its way joined that job: say so, as the intake notice does.
    const joined = answerJoinedNote(answer);
    if (joined) toast({ tone: 'info', text: joined });
    for (const duplicate of duplicates) {
      toast({ tone: 'info', text: 'You already made a model from this sample.', action: { label: 'Open it', run: () => openModel(duplicate.modelId) } });
    }
  };
  // FAL jobs waiting here that the offline generator can make (one photo each).
  const offline = models.find((m) => m.id === OFFLINE_MODEL_ID);
  const offlineable = jobs.jobs
    .filter((job) => isSwitchable(job) && models.find((m) => m.id === job.endpoint)?.provider === 'fal')
    .filter((job) => offline !== undefined && modelsFor(job, [offline]).length > 0)
    .sort((a, b) => a.createdAt - b.createdAt);
  // After topping up: one free key test; a pass resumes the waiting jobs (the banner then goes).
  const testKey = async () => {
    try {
      const tested = await call('key:test');
      toast({ tone: tested.result === 'accepted' ? 'success' : 'error', text: tested.message });
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };
  const runOffline = async () => {
    const outcomes = await Promise.allSettled(offlineable.map((job) => jobs.setModel(job.id, OFFLINE_MODEL_ID)));
    const moved = outcomes.filter((o) => o.status === 'fulfilled').length;
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (moved > 0) toast({ tone: 'success', text: `${plural(moved, 'job')} now ${moved === 1 ? 'runs' : 'run'} offline on this computer.` });
    if (failed) toast({ tone: 'error', text: errorMessage(failed.reason) });
  };

  return (
    <div className="view create-view">
      <header className="view-header">
        <div>
          <h1>Create</h1>
          <p>Turn photos and drawings into 3D models.</p>
        </div>
      </header>

      {queue && (
        <QueueBanner
          state={queue}
          now={now}
          usingOffline={generator === OFFLINE_MODEL_ID}
          offlineable={offlineable}
          onRunOffline={runOffline}
          onSetKey={() => navigate('settings', { focus: 'key' })}
          onUseOffline={useOffline}
          onOpenSpending={() => navigate('settings', { focus: 'spending' })}
          onGetKey={() => openFalKeysPage((text) => toast({ tone: 'error', text }))}
          onTopUp={() => openFalPage(FAL_BILLING_URL, (text) => toast({ tone: 'error', text }))}
          onTestKey={testKey}
        />
      )}

      <div className="create-top">
        <DropZone dragging={dragging} busy={intake.busy} limitMb={settings.uploadLimitMb} onPick={intake.pick} />
        <ModelChooser
          models={models}
          endpoint={generator}
          automatic={!settings.defaultModelChosen}
          preset={settings.defaultPreset}
          keySet={keySet}
          showKeyHint={!queue || queue.status === 'running'}
          onChange={(choice) =>
            void choose({
              ...(choice.endpoint ? { defaultModel: choice.endpoint } : {}),
              ...(choice.preset ? { defaultPreset: choice.preset } : {}),
            })
          }
          onSetKey={() => navigate('settings', { focus: 'key' })}
        />
      </div>

      {intake.staged && (
        <SetComposer
          files={intake.staged}
          models={models}
          endpoint={generator}
          preset={settings.defaultPreset}
          busy={intake.busy}
          onMakeSet={(members, endpoint) => void intake.addSet(members, endpoint)}
          onMakeEach={() => void intake.addEach()}
          onCancel={intake.unstage}
        />
      )}

      {intake.result && (
        <IntakeNotice
          result={intake.result}
          jobs={jobs.jobs}
          busy={intake.busy}
          unitPriceUsd={unitPriceUsd}
          heldPriceUsd={heldPrice}
          onDismiss={intake.dismiss}
          onMakeAgain={intake.makeAgain}
          onSendHeld={intake.sendHeld}
          onDropHeld={intake.dropHeld}
          onOpenModel={openModel}
        />
      )}

      <QueuePanel jobs={jobs} now={now} queue={queue} onOpenModel={openModel} emptyExtra={<SampleTray onAdded={sampleAdded} />} />
    </div>
  );
}
