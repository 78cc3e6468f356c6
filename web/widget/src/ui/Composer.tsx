// Writing: the message box (Enter sends, Shift+Enter starts a new line), a file picker (only when
// the site lets visitors send files) and Send. The file input is itself the focusable control
// (visually hidden inside its icon label), so the keyboard reaches it without a script-driven click.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Dict } from '../i18n.ts';
import { stoppedTyping, typed } from '../state/actions.ts';
import { sendFile, sendText } from '../state/outbox.ts';
import { AttachIcon, SendIcon } from './icons.tsx';

export function Composer({ t, files }: { t: Dict; files: boolean }) {
  const [text, setText] = useState('');
  const submit = () => {
    const value = text.trim();
    if (!value) return;
    setText('');
    stoppedTyping();
    sendText(value);
  };
  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  const onFile = (e: JSX.TargetedEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    for (const file of Array.from(input.files ?? [])) sendFile(file);
    input.value = '';
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label class="sr" for="pw-input">
        {t.message}
      </label>
      <textarea
        id="pw-input"
        rows={1}
        maxLength={10000}
        placeholder={t.placeholder}
        value={text}
        data-testid="message-input"
        onInput={(e) => {
          setText(e.currentTarget.value);
          typed();
        }}
        onKeyDown={onKeyDown}
      />
      {files && (
        <label class="ibtn" title={t.attach}>
          <input type="file" class="sr" aria-label={t.attach} data-testid="file-input" onChange={onFile} />
          <AttachIcon />
        </label>
      )}
      <button type="submit" class="ibtn send" aria-label={t.send} title={t.send} data-testid="send-button">
        <SendIcon />
      </button>
    </form>
  );
}
