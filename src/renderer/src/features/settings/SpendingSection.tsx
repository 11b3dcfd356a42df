// What FAL has cost, and a monthly cap that pauses new FAL jobs when reached.
import { useId } from 'react';
import { useApp } from '../../app-context';
import type { CostSummary } from '../../hooks/useCostSummary';
import { formatUsd } from '../../lib/format';
import { SettingRow } from './SettingRow';
import { TextSetting } from './TextSetting';

const money = (usd: number) => (usd === 0 ? '$0.00' : formatUsd(usd));

export function SpendingSection({ cost }: { cost: CostSummary | null }) {
  const { settings, updateSettings } = useApp();
  const capId = useId();
  return (
    <section className="card settings-card" id="settings-spending" aria-labelledby="settings-spending-title">
      <div className="card-header">
        <h2 id="settings-spending-title">Spending</h2>
      </div>
      <div className="card-body settings-body">
        {cost && (
          <div className="spend-grid" aria-label="Estimated spending">
            <div>
              <span className="section-label">Today</span>
              <strong>{money(cost.todayUsd)}</strong>
            </div>
            <div>
              <span className="section-label">This month</span>
              <strong>{money(cost.monthUsd)}</strong>
            </div>
            <div>
              <span className="section-label">Monthly cap</span>
              <strong className={cost.capReached ? 'is-danger' : undefined}>{cost.capUsd === null ? 'None' : money(cost.capUsd)}</strong>
            </div>
          </div>
        )}
        <SettingRow label="Monthly spending cap (USD)" htmlFor={capId} help="New FAL jobs wait once this month’s estimated spend reaches the cap. Leave empty for no cap.">
          <TextSetting
            id={capId}
            value={settings.spendingCapUsd === null ? '' : String(settings.spendingCapUsd)}
            placeholder="No cap"
            inputMode="decimal"
            validate={(text) => (text === '' || (Number.isFinite(Number(text)) && Number(text) > 0) ? null : 'Enter an amount above 0, like 10 or 25.50.')}
            save={(text) => updateSettings({ spendingCapUsd: text === '' ? null : Number(text) })}
          />
        </SettingRow>
        <p className="inline-note">Prices are FAL’s approximate list prices; your FAL dashboard shows what was billed.</p>
      </div>
    </section>
  );
}
