// The partner's profile: the company's name (a new one waits for the platform's approval), the
// contact's name, e-mail and phone; and what the partner cannot change here (its address, code and
// status), shown for reference.
import type { FormEvent } from 'react';
import { SaveActions } from '../../../../admin/src/components/Status.tsx';
import { useSave } from '../../../../admin/src/components/useSave.ts';
import { type ProfileChange, updateProfile } from '../api/account.ts';
import { Field } from '../components/Field.tsx';
import { PortalPage } from '../components/PortalPage.tsx';
import { t as text, useT } from '../i18n.ts';
import { partnerChanged } from '../session.ts';
import { useStore } from '../store.ts';

export function ProfilePage() {
  const t = useT();
  const partner = useStore((s) => s.partner)!;
  const { busy, status, error, problems, save } = useSave();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const change: ProfileChange = { contactName: value('contactName'), contactEmail: value('contactEmail'), phone: value('phone') || null };
    const name = value('name');
    if (name !== partner.name && name !== partner.pendingName) change.name = name;
    void save(async () => {
      const updated = await updateProfile(change);
      partnerChanged(updated);
      return text(change.name !== undefined ? 'profile.savedPending' : 'profile.saved');
    });
  }

  return (
    <PortalPage id="profile" intro={t('profile.intro')}>
      <form className="card form-grid" onSubmit={submit} data-testid="profile-form">
        <Field id="profile-name" label={t('profile.name')} problem={problems.get('name')} hint={partner.pendingName ? t('profile.pendingName', { name: partner.pendingName }) : t('profile.nameHint')}>
          {(attrs) => <input name="name" required maxLength={200} defaultValue={partner.pendingName ?? partner.name} {...attrs} data-testid="profile-name" />}
        </Field>
        <Field id="profile-contact-name" label={t('profile.contactName')} problem={problems.get('contactName')}>
          {(attrs) => <input name="contactName" required maxLength={200} defaultValue={partner.contactName} {...attrs} data-testid="profile-contact-name" />}
        </Field>
        <Field id="profile-contact-email" label={t('profile.contactEmail')} problem={problems.get('contactEmail')}>
          {(attrs) => <input name="contactEmail" type="email" required maxLength={254} defaultValue={partner.contactEmail} {...attrs} data-testid="profile-contact-email" />}
        </Field>
        <Field id="profile-phone" label={t('profile.phone')} problem={problems.get('phone')}>
          {(attrs) => <input name="phone" type="tel" maxLength={40} defaultValue={partner.phone ?? ''} {...attrs} data-testid="profile-phone" />}
        </Field>
        <SaveActions className="span-2" prefix="profile" error={error} status={status} busy={busy} label={t('profile.save')} />
      </form>
      <dl className="detail-list" data-testid="profile-facts">
        <div>
          <dt>{t('profile.host')}</dt>
          <dd>{partner.host}</dd>
        </div>
        <div>
          <dt>{t('profile.slug')}</dt>
          <dd>{partner.slug}</dd>
        </div>
        <div>
          <dt>{t('profile.status')}</dt>
          <dd>{partner.isActive ? t('profile.active') : t('profile.suspended')}</dd>
        </div>
      </dl>
    </PortalPage>
  );
}
