// A model made from several images: each image (thumbnail while its job is kept) with its view.
import type { JobInputInfo } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { fileUrl } from '../../lib/files';

export function SourceSet({ sources, jobId }: { sources: JobInputInfo[]; jobId: string | null }) {
  const { info } = useApp();
  return (
    <ul className="source-set" data-testid="model-sources">
      {sources.map((source) => (
        <li key={source.position} title={source.name}>
          {jobId && (
            <div className="thumb">
              <img src={fileUrl(info.fileBaseUrl, 'input', `${jobId}_${source.position}`)} alt="" loading="lazy" draggable={false} />
            </div>
          )}
          <span className="source-set-name">
            {source.role && <strong>{source.role} </strong>}
            {source.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
