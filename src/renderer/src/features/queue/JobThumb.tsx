// The job's source image (served by id), or a quiet placeholder until the app has it.
import { useState } from 'react';
import type { Job } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { Icon } from '../../components/Icon';
import { fileUrl } from '../../lib/files';

export function JobThumb({ job, size = 48 }: { job: Job; size?: number }) {
  const { info } = useApp();
  // Retry the image when the job moves on (the prepared input may appear a moment after adding).
  const [failedAtState, setFailedAtState] = useState<string | null>(null);
  const broken = failedAtState === job.state;
  return (
    <div className="thumb" style={{ width: size, height: size }}>
      {broken ? (
        <Icon name="image" size={Math.round(size * 0.4)} />
      ) : (
        <img
          src={fileUrl(info.fileBaseUrl, 'input', job.id)}
          alt=""
          loading="lazy"
          draggable={false}
          onError={() => setFailedAtState(job.state)}
        />
      )}
    </div>
  );
}
