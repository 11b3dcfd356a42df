// Preset names and labels. Kept here (not imported from shared/domain) so zod stays out of the
// renderer bundle; the type still comes from the shared contract.
import type { Preset } from '../../../shared/domain';

export const PRESET_NAMES: readonly Preset[] = ['draft', 'standard', 'high'];

export const PRESET_LABEL: Record<Preset, string> = { draft: 'Draft', standard: 'Standard', high: 'High' };
