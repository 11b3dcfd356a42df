// Why Settings > Spending's "May be charged" is not settled yet, and what settles it (what counts there:
// core/spend/charge-rule.ts). Without a billing key a job FAL failed stays there for its whole month:
// FAL bills such a run if it had already used GPU time, and only its billing records (admin key) say
// whether it did - the request history the ordinary key reads carries no cost (FAL-PLATFORM.md), so the
// app cannot settle it by itself - unless the history shows its run ended in a server error (a 5xx FAL
// never charges). A job given up on (FAL answering with server errors, or not at all) is settled the same
// way: the request history shows whether its run finished (charged) or ended in a server error or never
// started (not charged); so is a run stopped after FAL began it; core/spend/history-settle.ts.

/** The note under the spending figures, or null when nothing may be charged. */
export function possibleChargesNote(cost: { possibleUsd?: number; billingKey?: boolean }): string | null {
  if (!cost.possibleUsd) return null;
  const lost = 'A job whose answer from FAL was lost is settled once the app finds it in FAL’s request history.';
  return cost.billingKey
    ? `May be charged: jobs FAL failed or that were stopped after it began them (FAL charges such a run if it had already used GPU time), and jobs given up while FAL kept answering with server errors, or not at all (FAL charges those only if it finished them). FAL’s billing records settle each, usually within 2 hours after it ended: what FAL charged, or nothing. ${lost}`
    : `May be charged: jobs FAL failed or that were stopped after it began them, and jobs given up while FAL kept answering with server errors, or not at all. FAL charges such a run if it finished or had already used GPU time, and only its billing records say whether it did; your FAL key cannot read them, so these count against the cap until the month ends. Add a billing key below to settle them. A job given up on, whose run failed or that was stopped after FAL began it is settled without one, within seconds once FAL’s request history shows how its run ended: finished (spent), or a server error or never started (nothing). ${lost}`;
}
