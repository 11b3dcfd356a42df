// The generators as <option>s in a <select>, grouped by where they run: FAL (with the key), then this
// computer. One list for the Create chooser and the Settings default, so both read the same.
import type { ModelSummary } from '../../../../shared/models';

const GROUPS: { provider: ModelSummary['provider']; label: string }[] = [
  { provider: 'fal', label: 'FAL (uses your key)' },
  { provider: 'offline', label: 'On this computer (free)' },
];

export function ModelOptions({ models }: { models: readonly ModelSummary[] }) {
  return GROUPS.map(({ provider, label }) => {
    const group = models.filter((m) => m.provider === provider);
    return (
      group.length > 0 && (
        <optgroup key={provider} label={label}>
          {group.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </optgroup>
      )
    );
  });
}
