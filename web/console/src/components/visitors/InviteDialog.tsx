// Invites a visitor to chat, with an optional message the widget shows them.
import { type FormEvent, useState } from 'react';
import type { VisitorPresence } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { notice } from '../../state/notices.ts';
import { invite } from '../../state/visitorActions.ts';
import { Dialog } from '../Dialog.tsx';
import { useAction } from '../hooks.ts';
import { FormActions } from '../FormActions.tsx';

export function InviteDialog({ visitor, onClose }: { visitor: VisitorPresence; onClose: () => void }) {
  const t = useT();
  const name = visitor.name || visitor.email || t('visitor.anonymous', { id: visitor.id });
  const [message, setMessage] = useState(t('invite.default'));
  const [run, busy] = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await run(() => invite(visitor.id, message))) {
      notice(t('invite.sent', { name }));
      onClose();
    }
  }

  return (
    <Dialog title={t('invite.title', { name })} onClose={onClose} testId="invite-dialog">
      <form onSubmit={submit}>
        <label className="field">
          <span>{t('invite.message')}</span>
          <textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={3} maxLength={500} data-testid="invite-message" />
        </label>
        <FormActions submit={t('invite.send')} onCancel={onClose} disabled={busy} testId="invite-confirm" />
      </form>
    </Dialog>
  );
}
