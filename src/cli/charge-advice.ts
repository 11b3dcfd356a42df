// What the command line says of jobs that may be charged once FAL's request history was asked
// (settle-charges.ts): kept apart from it, so commands that load no database (reconcile's printing,
// --help) do not load the platform client either.

export interface ChargeOutcome {
  id: string;
  input: string;
  /** What FAL's request history showed: charged, not charged, or nothing yet (it stays "may be charged"). */
  outcome: 'charged' | 'not_charged' | 'unsettled';
  message: string;
}

/** How to settle what is left, said once under the jobs (null when nothing is left). */
export function unsettledAdvice(outcomes: readonly ChargeOutcome[], keySet: boolean): string | null {
  const left = outcomes.filter((o) => o.outcome === 'unsettled').length;
  if (left === 0) return null;
  const [which, it, its] = left === 1 ? ['One job may be charged', 'it', 'its run'] : [`${left} jobs may be charged`, 'them', 'their runs'];
  return keySet
    ? `${which}: FAL's request history does not show yet how ${its} ended. Run \`image2model reconcile\` later to settle ${it} from FAL's records (free; nothing is sent again), or set FAL_ADMIN_KEY (a billing key) so FAL's billing records settle ${it}.`
    : `${which}: no FAL key is set to read FAL's request history. Run \`FAL_KEY=your-key image2model reconcile\` to settle ${it} from FAL's records (free; nothing is sent again).`;
}
