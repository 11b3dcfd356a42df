// The job's source image (served by id), or a quiet placeholder until the app has it. A job made
// from several images shows each of them (up to four) in one tile.
import { useState } from 'react';
import type { Job, JobInputInfo } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { Icon } from '../../components/Icon';
import { fileUrl } from '../../lib/files';

function ThumbImage({ src, state, title }: { src: string; state: string; title?: string }) {
  // Retry the image when the job moves on (the prepared input may appear a moment after adding).
  const [failedAtState, setFailedAtState] = useState<string | null>(null);
  if (failedAtState === state) return <Icon name="image" size={14} />;
  return <img src={src} alt="" title={title} loading="lazy" draggable={false} onError={() => setFailedAtState(state)} />;
}

const inputTitle = (input: JobInputInfo) => (input.role ? `${input.role}: ${input.name}` : `${input.position + 1}. ${input.name}`);

export function JobThumb({ job, size = 48 }: { job: Job; size?: number }) {
  const { info } = useApp();
  const inputs = job.inputs ?? [];
  if (inputs.length > 1) {
    const shown = inputs.slice(0, 4);
    return (
      <div className={`thumb thumb-set thumb-set-${shown.length}`} style={{ width: size, height: size }} data-testid="job-thumb-set" aria-label={`${inputs.length} images`}>
        {shown.map((input) => (
          <ThumbImage key={input.position} src={fileUrl(info.fileBaseUrl, 'input', `${job.id}_${input.position}`)} state={job.state} title={inputTitle(input)} />
        ))}
      </div>
    );
  }
  return (
    <div className="thumb" style={{ width: size, height: size }}>
      <ThumbImage src={fileUrl(info.fileBaseUrl, 'input', job.id)} state={job.state} />
    </div>
  );
}
