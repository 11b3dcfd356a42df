// Why Settings > Spending's "May be charged" is not settled yet, and what settles it. Without a billing
// key a job FAL failed stays there for its whole month: FAL bills such a run if it had already used GPU
// time, and only its billing records (admin key) say whether it did - the request history the ordinary
// key reads carries no cost (FAL-PLATFORM.md), so the app cannot settle it by itself.

/** The note under the spending figures, or null when nothing may be charged. */
export function possibleChargesNote(cost: { possibleUsd?: number; billingKey?: boolean }): string | null {
  if (!cost.possibleUsd) return null;
  const lost = 'A job whose answer from FAL was lost is settled once the app finds it in FAL’s request history.';
  return cost.billingKey
    ? `May be charged: jobs FAL failed or that were stopped after it began them (FAL charges such a run if it had already used GPU time). FAL’s billing records settle each, usually within 2 hours after it ended: what FAL charged, or nothing. ${lost}`
    : `May be charged: jobs FAL failed or that were stopped after it began them. FAL charges such a run if it had already used GPU time, and only its billing records say whether it did; your FAL key cannot read them, so these count against the cap until the month ends. Add a billing key below to settle them. ${lost}`;
}
