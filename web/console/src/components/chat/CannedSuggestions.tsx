// The canned messages matching the "/shortcut" being typed. The composer keeps the focus and
// points at the highlighted option (aria-activedescendant); a click inserts too.
import type { CannedMessage } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';

interface Props {
  id: string;
  items: CannedMessage[];
  active: number;
  onPick: (item: CannedMessage) => void;
}

export const optionId = (listId: string, index: number) => `${listId}-opt-${index}`;

export function CannedSuggestions({ id, items, active, onPick }: Props) {
  const t = useT();
  return (
    <div className="canned-popup" data-testid="canned-suggestions">
      <div className="canned-popup-hint" aria-hidden="true">
        {t('canned.suggestHint')}
      </div>
      <div id={id} role="listbox" aria-label={t('canned.suggestions')}>
        {items.map((item, i) => (
          <div
            key={item.id}
            id={optionId(id, i)}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            // mousedown, not click: the composer must not lose the caret before the insert.
            onMouseDown={(e) => {
              e.preventDefault();
              onPick(item);
            }}
            data-testid="canned-suggestion"
            data-shortcut={item.shortcut}
          >
            <span className="canned-shortcut">/{item.shortcut}</span>
            <span className="canned-title">{item.title}</span>
            <span className="canned-content">{item.content}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
