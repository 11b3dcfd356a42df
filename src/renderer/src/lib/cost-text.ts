// What a job really cost, in words: FAL's billing record, or the units FAL reported priced at its
// list price, shown next to the app's estimate so the two can be compared.
import type { ChannelOutput } from '../../../shared/contract';
import { formatUsd } from './format';

export type JobCost = ChannelOutput<'spend:jobCosts'>[number];

const SOURCE: Record<JobCost['source'], { short: string; long: string }> = {
  billing_event: { short: 'FAL billing', long: "What FAL charged for this job, from FAL's billing records (billing key)." },
  units_header: { short: "FAL's units × price", long: "The units FAL reported as billable for this job, at FAL's listed price. FAL's billing records, read with a billing key, replace it." },
  no_charge: { short: 'FAL billing', long: "FAL's billing records hold no charge for this job (FAL bills successful results only)." },
  request_history: { short: 'FAL history', long: "FAL's request history shows this job's run ended in a server error or never started; FAL charges neither. A billing key's records would replace this." },
};

/** "$0.20 charged (FAL billing)", "not charged (FAL billing)", "refunded (FAL billing)", "$0.20 charged, $0.07 refunded (FAL billing)". */
export function chargedText(cost: JobCost): string {
  const refunded = cost.refundedUsd ?? 0;
  const amount =
    refunded > 0 ? (cost.usd > 0 ? `${formatUsd(cost.usd)} charged, ${formatUsd(refunded)} refunded` : 'refunded')
    : cost.usd > 0 ? `${formatUsd(cost.usd)} charged`
    : 'not charged';
  return `${amount} (${SOURCE[cost.source].short})`;
}

/** The longer explanation for a tooltip. */
export const costSourceExplanation = (cost: JobCost): string =>
  (cost.refundedUsd ?? 0) > 0
    ? `${SOURCE[cost.source].long} FAL refunded ${formatUsd(cost.refundedUsd!)} of its charges; ${cost.usd > 0 ? `${formatUsd(cost.usd)} is left charged` : 'nothing is left charged'}.`
    : SOURCE[cost.source].long;

/** The estimate, marked as such once the real cost sits next to it: "≈ $0.20 est." */
export function estimateText(estimatedUsd: number, withRealCost: boolean): string {
  if (estimatedUsd === 0) return 'Free';
  return withRealCost ? `≈ ${formatUsd(estimatedUsd)} est.` : `≈ ${formatUsd(estimatedUsd)}`;
}
