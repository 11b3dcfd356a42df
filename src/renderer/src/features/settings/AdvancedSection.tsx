// Rarely changed: a proxy in front of FAL (companies, or a local test server). The page can only ask:
// the app confirms every change in a dialog of its own that names the host, and the FAL key goes to
// the proxy only when the user ticks "send my key" and confirms that too.
import { useEffect, useId, useState } from 'react';
import type { FalProxy } from '../../../../shared/contract';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { errorMessage } from '../../lib/errors';
import { SettingRow } from './SettingRow';
import { TextSetting } from './TextSetting';

const NOT_CONFIRMED = 'The proxy was not changed: it was not confirmed. (Without the desktop app, start with --fal-proxy instead.)';

export function AdvancedSection() {
  const { info } = useApp();
  const proxyId = useId();
  const sendKeyId = useId();
  const [proxy, setProxy] = useState<FalProxy>({ url: null, sendKey: false });
  const [keyError, setKeyError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void call('proxy:get').then((current) => live && setProxy(current), () => undefined);
    return () => {
      live = false;
    };
  }, []);

  const request = async (url: string | null, sendKey: boolean) => {
    const answer = await call('proxy:set', { url, sendKey });
    setProxy(answer.proxy);
    if (!answer.applied) throw new Error(NOT_CONFIRMED);
  };

  return (
    <section className="card settings-card" id="settings-advanced" aria-labelledby="settings-advanced-title">
      <div className="card-header">
        <h2 id="settings-advanced-title">Network</h2>
      </div>
      <div className="card-body settings-body">
        <SettingRow
          label="FAL proxy URL"
          htmlFor={proxyId}
          help={`Send FAL requests through this server instead of directly; ${info.transport === 'electron' ? 'the app asks you to confirm it' : 'set it with --fal-proxy when starting'}. Leave empty to talk to FAL.`}
        >
          <TextSetting
            id={proxyId}
            value={proxy.url ?? ''}
            placeholder="https://proxy.example.com/fal"
            inputMode="url"
            validate={(text) => (text === '' || /^https?:\/\/\S+$/i.test(text) ? null : 'Enter a full address starting with https://.')}
            save={(text) => request(text || null, false)}
          />
        </SettingRow>
        <SettingRow
          label="Send my FAL key to the proxy"
          htmlFor={sendKeyId}
          help="Off: the proxy adds its own key (the usual setup). On: your key goes to the proxy with every call - only for a proxy you run yourself."
        >
          <span className="switch">
            <input
              id={sendKeyId}
              type="checkbox"
              role="switch"
              disabled={proxy.url === null}
              checked={proxy.sendKey}
              onChange={(e) => {
                setKeyError(null);
                request(proxy.url, e.target.checked).catch((error: unknown) => setKeyError(errorMessage(error)));
              }}
            />
            <span />
          </span>
          {keyError && (
            <p className="inline-error" role="alert">
              {keyError}
            </p>
          )}
        </SettingRow>
      </div>
    </section>
  );
}
