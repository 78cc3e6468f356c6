// Sends the customer's app the result of a business step (account upgrade, loan signing, …): which
// step, and whether it succeeded. The chat's skill picks the likely step to start with.
import { type FormEvent, useState } from 'react';
import { APP_RESULT_COMMANDS, type AppResultCode, type AppResultCommand } from '../../api/chats.ts';
import type { Chat } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { sendAppEvent } from '../../state/chatActions.ts';
import { Dialog } from '../Dialog.tsx';
import { useAction } from '../hooks.ts';
import { BUSINESS_RESULTS } from '../messageText.ts';
import { FormActions } from '../FormActions.tsx';

/** The result that goes with a skill of the spec's Skill table (others start with the first). */
const BY_SKILL: Record<string, AppResultCommand> = {
  AccUp: 'event.mb.acc_upgrade_video',
  GuaranTee: 'event.mb.loan_video',
  Mortgage: 'event.mb.loan_video',
  '3APlus': 'event.mb.withdraw_limit_adj',
  PreDesAcc: 'event.mb.predefined_acc_apply',
};

export function AppResultDialog({ chat, onClose }: { chat: Chat; onClose: () => void }) {
  const t = useT();
  const [command, setCommand] = useState<AppResultCommand>((chat.skill && BY_SKILL[chat.skill]) || APP_RESULT_COMMANDS[0]);
  const [result, setResult] = useState<AppResultCode>('00');
  const [run, busy] = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await run(() => sendAppEvent(chat.id, { command, params: { result } }))) onClose();
  }

  return (
    <Dialog title={t('app.resultTitle')} onClose={onClose} testId="app-result-dialog">
      <form onSubmit={submit}>
        <label className="field">
          <span>{t('app.resultStep')}</span>
          <select value={command} onChange={(e) => setCommand(e.target.value as AppResultCommand)} data-testid="app-result-command">
            {APP_RESULT_COMMANDS.map((c) => (
              <option key={c} value={c}>
                {t(BUSINESS_RESULTS[c] ?? 'app.other', { command: c })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('app.resultOutcome')}</span>
          <select value={result} onChange={(e) => setResult(e.target.value as AppResultCode)} data-testid="app-result-value">
            <option value="00">{t('app.result.00')}</option>
            <option value="01">{t('app.result.01')}</option>
          </select>
        </label>
        <FormActions submit={t('app.send')} onCancel={onClose} disabled={busy} testId="app-result-send" />
      </form>
    </Dialog>
  );
}
