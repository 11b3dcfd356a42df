// How photos are checked and prepared before they are sent: the largest file taken and the long side
// they are scaled down to. The core reads both at each add, so a change applies to the next photo.
import { useId } from 'react';
import { LONG_SIDE_PX, UPLOAD_LIMIT_MB } from '../../../../shared/settings';
import { useApp } from '../../app-context';
import { SettingRow } from './SettingRow';
import { TextSetting } from './TextSetting';
import { wholeNumberProblem } from './whole-number';

export function PhotosSection() {
  const { settings, updateSettings } = useApp();
  const limitId = useId();
  const sideId = useId();
  return (
    <section className="card settings-card" id="settings-photos" aria-labelledby="settings-photos-title">
      <div className="card-header">
        <h2 id="settings-photos-title">Photos</h2>
      </div>
      <div className="card-body settings-body">
        <SettingRow label="Largest photo taken (MB)" htmlFor={limitId} help="A bigger file is refused, with the reason, before anything is uploaded.">
          <TextSetting
            id={limitId}
            value={String(settings.uploadLimitMb)}
            inputMode="decimal"
            validate={(text) => wholeNumberProblem(text, UPLOAD_LIMIT_MB.min, UPLOAD_LIMIT_MB.max, 'MB')}
            save={(text) => updateSettings({ uploadLimitMb: Number(text) })}
          />
        </SettingRow>
        <SettingRow
          label="Scale photos down to (px, long side)"
          htmlFor={sideId}
          help="Larger photos are sent at this size: quicker uploads; generators gain little above 2048 px. Applies to photos added from now on."
        >
          <TextSetting
            id={sideId}
            value={String(settings.maxLongSide)}
            inputMode="decimal"
            validate={(text) => wholeNumberProblem(text, LONG_SIDE_PX.min, LONG_SIDE_PX.max, 'px')}
            save={(text) => updateSettings({ maxLongSide: Number(text) })}
          />
        </SettingRow>
      </div>
    </section>
  );
}
