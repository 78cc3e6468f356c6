// Where the agent writes: Enter sends, Shift+Enter breaks the line, Ctrl+B/I/K format, "/" +
// shortcut suggests canned messages (Tab or Enter inserts), Up in an empty box edits the last
// message, files come from the button, a drop on the pane or a paste (no button when the site does
// not let agents send files). Typing is reported throttled.
import { type ClipboardEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { CannedMessage } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { noteTyping, stopTyping } from '../../state/chatActions.ts';
import { notice } from '../../state/notices.ts';
import { sendFiles, sendRich, sendText } from '../../state/outbox.ts';
import { useStore } from '../../state/store.ts';
import { matchCanned } from '../../state/teamActions.ts';
import { Icon } from '../icons.tsx';
import { CannedSuggestions, optionId } from './CannedSuggestions.tsx';
import * as editor from './editor.ts';
import { LinkDialog } from './LinkDialog.tsx';

interface Props {
  chatId: number;
  label: string;
  onEditLast: () => void;
}

interface Suggest {
  token: editor.Token;
  items: CannedMessage[];
  active: number;
}

export function Composer({ chatId, label, onEditLast }: Props) {
  const t = useT();
  const canned = useStore((s) => s.canned);
  const filesAllowed = useStore((s) => s.files.agentFiles);
  const box = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [hasText, setHasText] = useState(false);
  const [suggest, setSuggest] = useState<Suggest | null>(null);
  const [link, setLink] = useState<{ range: Range | null } | null>(null);
  const listId = useId();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    editor.restoreDraft(chatId, el);
    setHasText(Boolean(el.textContent?.trim()));
    return () => editor.saveDraft(chatId, el);
  }, [chatId]);

  function refresh() {
    const el = box.current;
    if (!el) return;
    const text = Boolean(el.textContent?.trim());
    setHasText(text);
    if (text) noteTyping(chatId);
    else stopTyping(chatId);
    const token = editor.shortcutBeforeCaret(el);
    const items = token ? matchCanned(canned, token.query) : [];
    setSuggest(token && items.length ? { token, items, active: 0 } : null);
  }

  function send() {
    const el = box.current;
    if (!el) return;
    const out = editor.readComposer(el);
    if (!out) return;
    if (out.kind === 'message') sendText(chatId, out.text);
    else sendRich(chatId, out.html);
    editor.clearDraft(chatId, el);
    setHasText(false);
    setSuggest(null);
    stopTyping(chatId);
    el.focus();
  }

  function pick(item: CannedMessage) {
    if (!suggest) return;
    editor.replaceToken(suggest.token, item.content);
    setSuggest(null);
    setHasText(true);
  }

  function attach(files: FileList | File[] | null) {
    if (!files || files.length === 0) return;
    const refused = sendFiles(chatId, files);
    if (refused) notice(refused, 'error');
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const mod = e.ctrlKey || e.metaKey;
    if (suggest) {
      const n = suggest.items.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setSuggest({ ...suggest, active: (suggest.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
        e.preventDefault();
        const item = suggest.items[suggest.active];
        if (item) pick(item);
        return;
      }
      if (e.key === 'Escape') {
        // Only the suggestions close; a dialog or pane behind stays.
        e.preventDefault();
        e.stopPropagation();
        setSuggest(null);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !mod && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'ArrowUp' && !hasText && !mod) {
      e.preventDefault();
      onEditLast();
    } else if (mod && !e.altKey && e.key.toLowerCase() === 'b') {
      e.preventDefault();
      editor.format('bold');
    } else if (mod && !e.altKey && e.key.toLowerCase() === 'i') {
      e.preventDefault();
      editor.format('italic');
    } else if (mod && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      setLink({ range: box.current ? editor.saveSelection(box.current) : null });
    } else if (mod && e.shiftKey && (e.key === '*' || e.code === 'Digit8')) {
      e.preventDefault();
      editor.format('insertUnorderedList');
    } else if (mod && e.shiftKey && (e.key === '&' || e.code === 'Digit7')) {
      e.preventDefault();
      editor.format('insertOrderedList');
    }
  }

  function onPaste(e: ClipboardEvent<HTMLDivElement>) {
    e.preventDefault();
    if (e.clipboardData.files.length > 0) return attach([...e.clipboardData.files]);
    // Pasted HTML brings foreign styles and markup: only its text comes in.
    document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
  }

  const tool = (testId: string, text: ReactNode, title: string, action: () => void) => (
    <button
      type="button"
      className="tool-button"
      title={title}
      aria-label={title}
      // Keeps the selection in the composer: the command applies to it.
      onMouseDown={(e) => e.preventDefault()}
      onClick={action}
      data-testid={testId}
    >
      {text}
    </button>
  );

  return (
    <div className="composer">
      <fieldset className="composer-tools">
        <legend className="visually-hidden">{t('composer.tools')}</legend>
        {tool('rich-bold', 'B', t('composer.bold'), () => editor.format('bold'))}
        {tool('rich-italic', 'I', t('composer.italic'), () => editor.format('italic'))}
        {tool('rich-link', <Icon name="link" />, t('composer.link'), () => setLink({ range: box.current ? editor.saveSelection(box.current) : null }))}
        {tool('rich-list', <Icon name="list" />, t('composer.list'), () => editor.format('insertUnorderedList'))}
        {filesAllowed && (
          <>
            <span className="tool-sep" />
            <button type="button" className="tool-button" onClick={() => fileInput.current?.click()} aria-label={t('composer.attach')} title={t('composer.attach')} data-testid="attach-button">
              <Icon name="attach" />
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              className="visually-hidden"
              tabIndex={-1}
              aria-label={t('composer.attach')}
              onChange={(e) => {
                attach(e.target.files ? [...e.target.files] : null);
                e.target.value = '';
              }}
              data-testid="file-input"
            />
          </>
        )}
      </fieldset>
      <div className="composer-row">
        {/* biome-ignore lint/a11y/useSemanticElements: rich text needs a contenteditable, not a textarea */}
        <div
          ref={box}
          className="composer-input"
          contentEditable
          suppressContentEditableWarning
          role="textbox"
          tabIndex={0}
          aria-multiline="true"
          aria-label={label}
          aria-placeholder={t('composer.placeholder')}
          data-placeholder={t('composer.placeholder')}
          aria-autocomplete="list"
          aria-controls={suggest ? listId : undefined}
          aria-activedescendant={suggest ? optionId(listId, suggest.active) : undefined}
          onInput={refresh}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => {
            setSuggest(null);
            if (box.current) editor.saveDraft(chatId, box.current);
          }}
          data-testid="composer"
        />
        <button type="button" className="button primary send-button" onClick={send} disabled={!hasText} data-testid="send-button">
          {t('composer.send')}
        </button>
      </div>
      {suggest && <CannedSuggestions id={listId} items={suggest.items} active={suggest.active} onPick={pick} />}
      {link && (
        <LinkDialog
          onClose={() => setLink(null)}
          onDone={(href) => {
            const range = link.range;
            setLink(null);
            // After the dialog has given the focus back, so the range still belongs to the composer.
            requestAnimationFrame(() => box.current && editor.insertLink(box.current, range, href));
          }}
        />
      )}
    </div>
  );
}
