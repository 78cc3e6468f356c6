// The chat button's and window's look: the colour (the partner's theme's, or one picked here, as a
// swatch or a hex code), the side of the page, the button's text, the window's title and picture.
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { useT } from '../../i18n/i18n.ts';
import { DEFAULT_COLOR, type Draft, inWords, type SectionProps } from './draft.ts';

const HEX = /^#[0-9a-fA-F]{6}$/;

export function LookSection({ draft, change, problem }: SectionProps) {
  const t = useT();
  const look = draft.look;
  const setLook = (patch: Partial<Draft['look']>) => change((d) => ({ ...d, look: { ...d.look, ...patch } }));
  const text = (field: 'buttonText' | 'title' | 'avatarUrl') => (e: { target: { value: string } }) => setLook({ [field]: e.target.value });
  const colorProblem = inWords(problem('settings.look.color'), t('campaign.colorProblem'));

  return (
    <fieldset className="card campaign-section" data-testid="campaign-look">
      <legend>{t('campaign.look')}</legend>
      <fieldset className="field color-field">
        <legend>{t('campaign.color')}</legend>
        <label className="check-field">
          <input type="checkbox" checked={look.color === null} onChange={(e) => setLook({ color: e.target.checked ? null : DEFAULT_COLOR })} data-testid="campaign-color-theme" />
          <span>{t('campaign.colorTheme')}</span>
        </label>
        {look.color !== null && (
          <div className="color-inputs">
            <input
              type="color"
              value={HEX.test(look.color) ? look.color.toLowerCase() : DEFAULT_COLOR}
              onChange={(e) => setLook({ color: e.target.value })}
              aria-label={t('campaign.colorPicker')}
              data-testid="campaign-color-picker"
            />
            <input
              className="mono"
              value={look.color}
              maxLength={7}
              spellCheck={false}
              onChange={(e) => setLook({ color: e.target.value.trim() })}
              aria-label={t('campaign.colorHex')}
              {...describedBy('campaign-color-hex', colorProblem, 'campaign-color-hint')}
              data-testid="campaign-color-hex"
            />
            <small className="hint" id="campaign-color-hint">
              {t('campaign.colorHint')}
            </small>
          </div>
        )}
        <FieldProblem id="campaign-color-hex" text={colorProblem} />
      </fieldset>
      <fieldset className="field">
        <legend>{t('campaign.position')}</legend>
        <div className="inline-choices">
          {(['right', 'left'] as const).map((side) => (
            <label key={side} className="check-field">
              <input type="radio" name="campaign-position" value={side} checked={look.position === side} onChange={() => setLook({ position: side })} data-testid={`campaign-position-${side}`} />
              <span>{t(`campaign.position.${side}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="campaign-button-text">{t('campaign.buttonText')}</label>
          <input maxLength={40} value={look.buttonText} onChange={text('buttonText')} {...describedBy('campaign-button-text', problem('settings.look.buttonText'), 'campaign-button-text-hint')} data-testid="campaign-button-text" />
          <small className="hint" id="campaign-button-text-hint">
            {t('campaign.buttonTextHint')}
          </small>
          <FieldProblem id="campaign-button-text" text={problem('settings.look.buttonText')} />
        </div>
        <div className="field">
          <label htmlFor="campaign-title">{t('campaign.windowTitle')}</label>
          <input maxLength={80} value={look.title} onChange={text('title')} {...describedBy('campaign-title', problem('settings.look.title'), 'campaign-title-hint')} data-testid="campaign-title" />
          <small className="hint" id="campaign-title-hint">
            {t('campaign.windowTitleHint')}
          </small>
          <FieldProblem id="campaign-title" text={problem('settings.look.title')} />
        </div>
        <div className="field span-2">
          <label htmlFor="campaign-avatar">{t('campaign.avatarUrl')}</label>
          <input type="url" maxLength={2048} value={look.avatarUrl} onChange={text('avatarUrl')} {...describedBy('campaign-avatar', problem('settings.look.avatarUrl'), 'campaign-avatar-hint')} data-testid="campaign-avatar" />
          <small className="hint" id="campaign-avatar-hint">
            {t('campaign.avatarHint')}
          </small>
          <FieldProblem id="campaign-avatar" text={problem('settings.look.avatarUrl')} />
        </div>
      </div>
    </fieldset>
  );
}
