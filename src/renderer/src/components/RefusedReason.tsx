// One file the app did not take (a drop, the watched folder): why, naming the file only when the
// reason does not already.
import { baseName } from '../features/drop/joined-note';
import { Icon } from './Icon';

export function RefusedReason({ input, reason }: { input: string; reason: string }) {
  return (
    <>
      <Icon name="warning" size={15} />
      {reason.includes(baseName(input)) ? (
        <span>{reason}</span>
      ) : (
        <span>
          <strong>{baseName(input)}</strong> <span className="muted">{reason}</span>
        </span>
      )}
    </>
  );
}
