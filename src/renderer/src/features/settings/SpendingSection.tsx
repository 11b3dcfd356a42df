// What FAL has cost, and a monthly cap that pauses new FAL jobs when reached.
import { useId, useState } from 'react';
import { call } from '../../api';
import { useApp } from '../../app-context';
import type { CostSummary } from '../../hooks/useCostSummary';
import { formatDateTime, formatUsd } from '../../lib/format';
import { BillingKey } from './BillingKey';
import { possibleChargesNote } from './possible-charges';
import { SettingRow } from './SettingRow';
import { TextSetting } from './TextSetting';

const money = (usd: number) => (usd === 0 ? '$0.00' : formatUsd(usd));

const BASIS: Record<NonNullable<CostSummary['basis']>, string> = {
  real: 'What FAL charged',
  mixed: 'What FAL charged, plus estimates for the rest',
  estimate: 'Estimated from prices',
};

export function SpendingSection({ cost: shared }: { cost: CostSummary | null }) {
  const { settings, updateSettings } = useApp();
  // Right after the billing key changes, FAL is asked at once; the shared summary catches up later.
  const [synced, setSynced] = useState<{ base: CostSummary | null; value: CostSummary } | null>(null);
  const cost = synced && synced.base === shared ? synced.value : shared;
  const sync = () => {
    call('spend:sync').then((value) => setSynced({ base: shared, value }), () => {});
  };
  const capId = useId();
  return (
    <section className="card settings-card" id="settings-spending" aria-labelledby="settings-spending-title">
      <div className="card-header">
        <h2 id="settings-spending-title">Spending</h2>
      </div>
      <div className="card-body settings-body">
        {cost && (
          <div className="spend-grid" aria-label="Spending" data-testid="spend-grid">
            <div>
              <span className="section-label">Today</span>
              <strong>{money(cost.todayUsd)}</strong>
            </div>
            <div>
              <span className="section-label">This month</span>
              <strong>{money(cost.monthUsd)}</strong>
            </div>
            {cost.possibleUsd ? (
              <div title="Jobs whose answer from FAL was lost, jobs FAL failed or that were stopped after FAL began them, and jobs given up while FAL was not answering about them: FAL may have charged them. They count against the cap until FAL's records settle them.">
                <span className="section-label">May be charged</span>
                <strong data-testid="spend-possible">{money(cost.possibleUsd)}</strong>
              </div>
            ) : null}
            <div>
              <span className="section-label">Monthly cap</span>
              <strong className={cost.capReached ? 'is-danger' : undefined}>{cost.capUsd === null ? 'None' : money(cost.capUsd)}</strong>
            </div>
            {cost.billingKey && (
              <div>
                <span className="section-label">FAL balance</span>
                <strong data-testid="fal-balance">{cost.balanceUsd === null || cost.balanceUsd === undefined ? '—' : money(cost.balanceUsd)}</strong>
              </div>
            )}
          </div>
        )}
        {cost && possibleChargesNote(cost) && (
          <p className="inline-note" data-testid="spend-possible-note">
            {possibleChargesNote(cost)}
          </p>
        )}
        {cost && (
          <p className="inline-note" data-testid="spend-basis">
            {BASIS[cost.basis ?? 'estimate']}
            {cost.billingKey && cost.syncedAt ? ` · read from FAL at ${formatDateTime(cost.syncedAt)}` : ''}
            {cost.syncError ? ` · could not read from FAL: ${cost.syncError}` : ''}
          </p>
        )}
        <SettingRow label="Monthly spending cap (USD)" htmlFor={capId} help="New FAL jobs wait once this month’s spend reaches the cap (what FAL charged when the billing key is set, estimates otherwise; jobs FAL may have charged count until settled). Leave empty for no cap.">
          <TextSetting
            id={capId}
            value={settings.spendingCapUsd === null ? '' : String(settings.spendingCapUsd)}
            placeholder="No cap"
            inputMode="decimal"
            validate={(text) => (text === '' || (Number.isFinite(Number(text)) && Number(text) > 0) ? null : 'Enter an amount above 0, like 10 or 25.50.')}
            save={(text) => updateSettings({ spendingCapUsd: text === '' ? null : Number(text) })}
          />
        </SettingRow>
        <BillingKey onChanged={sync} />
      </div>
    </section>
  );
}
