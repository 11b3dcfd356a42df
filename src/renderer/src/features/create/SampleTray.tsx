// "Try a sample": the photos that ship with the app, for a first model without a photo at hand.
// The page names a sample by id; the app reads the file and queues it like a dropped photo.
import { useEffect, useState } from 'react';
import type { AddJobsResult } from '../../../../shared/contract';
import type { Sample, SampleId } from '../../../../shared/samples';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { errorMessage } from '../../lib/errors';
import { fileUrl } from '../../lib/files';

export interface SampleTrayProps {
  /** Called with the answer, so the page can say what happened (added, already made, refused). */
  onAdded(result: AddJobsResult): void;
}

export function SampleTray({ onAdded }: SampleTrayProps) {
  const { info, toast } = useApp();
  const [samples, setSamples] = useState<Sample[]>([]);
  const [sending, setSending] = useState<SampleId | null>(null);

  useEffect(() => {
    let live = true;
    call('samples:list').then(
      (list) => live && setSamples(list),
      () => {}, // No samples in this installation: the tray simply stays away.
    );
    return () => {
      live = false;
    };
  }, []);

  if (samples.length === 0) return null;

  const add = async (id: SampleId) => {
    setSending(id);
    try {
      onAdded(await call('samples:add', { id }));
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    } finally {
      setSending(null);
    }
  };

  return (
    <section className="sample-tray" aria-labelledby="sample-tray-title" data-testid="sample-tray">
      <h4 id="sample-tray-title">No photo at hand? Try a sample</h4>
      <ul className="sample-list">
        {samples.map((sample) => (
          <li key={sample.id}>
            <button
              type="button"
              className="sample-button"
              disabled={sending !== null}
              aria-busy={sending === sample.id || undefined}
              title={sample.description}
              onClick={() => void add(sample.id)}
              data-testid="sample-button"
              data-sample={sample.id}
            >
              <img src={fileUrl(info.fileBaseUrl, 'sample', sample.id)} alt="" width={88} height={88} draggable={false} />
              <span>{sample.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
